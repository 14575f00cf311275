using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Machine.Tests;

/// <summary>Sources written to hurt: the assembler answers each with a bounded list of clear errors, never a crash,
/// a hang, or bytes that take over the student's terminal.</summary>
public class AssemblerHostileInputTests
{
    private static AssemblerOptions Files(Dictionary<string, string> files) =>
        new() { ReadFile = path => files.GetValueOrDefault(Path.GetRelativePath(Environment.CurrentDirectory, path)) };

    // Assembles on another thread, so that a source that never ends fails the test instead of hanging it.
    private static AssemblyResult AssembleWithin(string source, string file, AssemblerOptions options)
    {
        var assembling = Task.Factory.StartNew(() => Assembler.Assembler.Assemble(source, file, options), TaskCreationOptions.LongRunning);
        Assert.That(assembling.Wait(TimeSpan.FromSeconds(120)), Is.True, "a hang catcher: the assembly ended");
        return assembling.Result;
    }

    [Test]
    public void A_File_That_Includes_Itself_Three_Times_Gets_One_Error_Per_Include_Naming_The_Cycle()
    {
        const string self = ".include \"self.s\"\n.include \"self.s\"\n.include \"self.s\"";
        var errors = AssembleWithin(self, "self.s", Files(new() { ["self.s"] = self })).Diagnostics;

        Assert.That(errors.Select(e => e.Headline), Is.EqualTo(new[]
        {
            "self.s:1:10: error: include cycle: self.s is already being assembled (self.s:1:10 includes self.s)",
            "self.s:2:10: error: include cycle: self.s is already being assembled (self.s:2:10 includes self.s)",
            "self.s:3:10: error: include cycle: self.s is already being assembled (self.s:3:10 includes self.s)",
        }));
    }

    [Test]
    public void An_Include_Cycle_Through_Other_Files_Names_The_Whole_Chain()
    {
        var files = new Dictionary<string, string>
        {
            ["a.s"] = "nop\n.include \"b.s\"\n",
            ["b.s"] = "  .include \"a.s\"\n",
        };
        var errors = AssembleWithin("start:\n.include \"a.s\"\nhlt\n", "main.s", Files(files)).Diagnostics;

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Headline, Is.EqualTo(
            "b.s:1:12: error: include cycle: a.s is already being assembled (main.s:2:10 includes a.s, a.s:2:10 includes b.s, b.s:1:12 includes a.s)"));
    }

    [Test]
    public void A_File_Included_Twice_Side_By_Side_Is_No_Cycle()
    {
        var files = new Dictionary<string, string> { ["put.s"] = "    out 0x3F8, r1\n" };
        var result = AssembleWithin("li r1, 'a'\n.include \"put.s\"\n.include \"put.s\"\nhlt\n", "main.s", Files(files));
        Assert.That(result.Diagnostics, Is.Empty);
    }

    [Test]
    public void Includes_That_Fan_Out_Stop_At_The_Line_Limit()
    {
        // Each file includes the next three times: 3^12 (531,441) copies of the last one, no cycle, 13 deep.
        var files = new Dictionary<string, string> { ["f12.s"] = "nop\n" };
        for (var i = 0; i < 12; i++) files[$"f{i}.s"] = string.Concat(Enumerable.Repeat($".include \"f{i + 1}.s\"\n", 3));
        var errors = AssembleWithin(files["f0.s"], "f0.s", Files(files)).Diagnostics;

        Assert.That(errors[0].Message, Does.Match(@"^including f\d+\.s would take the source past 200,000 lines"));
        Assert.That(errors[0].Hint, Does.Contain("included"));
    }

    [Test]
    public void Includes_That_Fan_Out_Stop_At_The_Size_Limit()
    {
        // Fewer lines, but long ones: 2^13 copies of a 4 KiB comment are 32 MiB of text.
        var files = new Dictionary<string, string> { ["f13.s"] = "; " + new string('x', 4094) + "\n" };
        for (var i = 0; i < 13; i++) files[$"f{i}.s"] = string.Concat(Enumerable.Repeat($".include \"f{i + 1}.s\"\n", 2));
        var errors = AssembleWithin(files["f0.s"], "f0.s", Files(files)).Diagnostics;

        Assert.That(errors[0].Message, Does.Match(@"^including f\d+\.s would take the source past 16 MiB of text"));
    }

    [Test]
    public void Includes_Nest_At_Most_Sixteen_Deep()
    {
        var files = new Dictionary<string, string>();
        for (var i = 0; i < 20; i++) files[$"d{i}.s"] = $".include \"d{i + 1}.s\"\n";
        files["d20.s"] = "nop\n";
        var errors = AssembleWithin(files["d0.s"], "d0.s", Files(files)).Diagnostics;

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Headline, Does.StartWith("d16.s:1:10: error: includes nest more than 16 deep (d0.s:1:10 includes d1.s, d1.s:1:10 includes d2.s,"));
    }

    [Test]
    public void The_First_Hundred_Errors_Are_Reported_And_The_Rest_Counted()
    {
        var source = string.Concat(Enumerable.Range(1, 1000).Select(i => i % 2 == 0 ? $"bogus{i}\n" : $"jmp nowhere{i}\n"));
        var errors = Assembler.Assembler.Assemble(source, "many.s").Diagnostics;

        Assert.That(errors, Has.Count.EqualTo(101));
        Assert.That(errors.Take(100).Select(e => e.Line), Is.EqualTo(Enumerable.Range(1, 100)), "the first hundred in source order, from both passes");
        Assert.That(errors[100].Headline, Is.EqualTo("many.s:101:5: error: too many errors: 900 more not shown, from here on"));
    }

    [TestCase("(-9223372036854775807 - 1) / -1", 28, "(-9223372036854775808) / (-1) does not fit in 64 signed bits")]
    [TestCase("(-9223372036854775807 - 1) % -1", 28, "(-9223372036854775808) % (-1) does not fit in 64 signed bits")]
    [TestCase("9223372036854775807 + 1", 21, "9223372036854775807 + 1 does not fit in 64 signed bits")]
    [TestCase("-9223372036854775807 - 2", 22, "(-9223372036854775807) - 2 does not fit in 64 signed bits")]
    [TestCase("0x4000000000000000 * 2", 20, "4611686018427387904 * 2 does not fit in 64 signed bits")]
    [TestCase("-(-9223372036854775807 - 1)", 1, "-(-9223372036854775808) does not fit in 64 signed bits")]
    [TestCase("1 / 0", 3, "division by zero in expression")]
    [TestCase("7 % (3 - 3)", 3, "remainder of a division by zero in expression")]
    [TestCase("1 << 64", 3, "shift count 64 is out of range (0 to 63)")]
    [TestCase("1 >> 64", 3, "shift count 64 is out of range (0 to 63)")]
    [TestCase("1 << -1", 3, "shift count -1 is out of range (0 to 63)")]
    [TestCase("16 >> (0 - 1)", 4, "shift count -1 is out of range (0 to 63)")]
    public void Arithmetic_That_Cannot_Be_Computed_Is_An_Error_At_Its_Operator(string expression, int column, string message)
    {
        foreach (var (line, offset) in new[] { ($".equ X, {expression}", 8), ($"li r1, {expression}", 7) })
        {
            var errors = Assembler.Assembler.Assemble(line + "\nhlt\n", "math.s").Diagnostics;
            Assert.That(errors.Select(e => e.Headline), Is.EqualTo(new[] { $"math.s:1:{offset + column}: error: {message}" }), line);
        }
    }

    [TestCase(".align 4294967296", 8, "aligning to 4294967296 here would take 4294963196 bytes of padding (at most 64 MiB)")]
    [TestCase(".align 0x80000000", 8, "aligning to 2147483648 here would take 2147479548 bytes of padding (at most 64 MiB)")]
    [TestCase(".space 0x4000001", 8, "size 67108865 is out of range (0 to 64 MiB)")]
    public void Sizes_Beyond_Reason_Are_Errors_Not_Crashes(string line, int column, string message)
    {
        var errors = Assembler.Assembler.Assemble("nop\n" + line + "\n", "big.s").Diagnostics;
        Assert.That(errors.Select(e => e.Headline), Is.EqualTo(new[] { $"big.s:2:{column}: error: {message}" }));
        Assert.That(Assembler.Assembler.Assemble("nop\n.align 0x10000\nhlt\n").Program!.Symbols, Is.Empty, "a large alignment within reason still assembles");
    }

    [Test]
    public void Shifts_Within_Range_Still_Compute()
    {
        var program = Assembler.Assembler.AssembleText(".equ A, 1 << 63 >> 63\n.equ B, (-1 << 32) >> 32\n.word A, B, 3 << 0\n");
        Assert.That(program.Segments[0].Bytes, Is.EqualTo(new byte[] { 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 3, 0, 0, 0 }));
    }

    [Test]
    public void Control_Characters_From_The_Source_Are_Shown_Escaped_In_Every_Error()
    {
        const string source =
            "\u001b]0;owned\u0007mvo r1, r2\n" +          // retitles the terminal, then an unknown instruction
            "mvo r1 ; \u001b[2J clears the screen\n" +       // in a line quoted under an error
            ".include \"x\u001b[2J.s\"\n" +                 // in a file name
            ".byte '\u0007', zz\n";                         // before the column the caret points at
        var errors = Assembler.Assembler.Assemble(source, "evil\u009b.s", Files(new())).Diagnostics;

        Assert.That(errors, Has.Count.EqualTo(4));
        foreach (var text in errors.Select(e => e.ToString()).Append(new AssemblyException(errors).Message))
        {
            Assert.That(text.Where(c => char.IsControl(c) && c is not ('\n' or '\r')), Is.Empty, text);
        }
        Assert.That(errors[0].Headline, Is.EqualTo(@"evil\x9b.s:1:1: error: unexpected character '\x1b'"));
        Assert.That(errors[0].ToString(), Does.Contain(@"    \x1b]0;owned\x07mvo r1, r2"));
        Assert.That(errors[1].ToString(), Does.Contain(@"    mvo r1 ; \x1b[2J clears the screen"));
        Assert.That(errors[2].Message, Does.StartWith(@"cannot find included file 'x\x1b[2J.s'"));
        var quoted = errors[3].ToString().Split('\n');
        Assert.That(quoted[1], Is.EqualTo(@"    .byte '\x07', zz"));
        Assert.That(quoted[2].IndexOf('^'), Is.EqualTo(quoted[1].IndexOf("zz", StringComparison.Ordinal)), "the caret is under the symbol, after the escaped byte");
    }
}
