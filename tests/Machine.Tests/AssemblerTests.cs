using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Tests;

public class AssemblerTests
{
    private static IReadOnlyList<Diagnostic> Errors(string source, string file = "kernel.s", AssemblerOptions? options = null) =>
        Assembler.Assembler.Assemble(source, file, options).Diagnostics;

    [Test]
    public void Reports_An_Unknown_Instruction_With_Position_Line_And_Suggestion()
    {
        var errors = Errors("start:\n    nop\n    mvo r1, r2\n");
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Headline, Is.EqualTo("kernel.s:3:5: error: unknown instruction 'mvo' (did you mean 'mov'?)"));
        Assert.That(errors[0].ToString(), Does.Contain("    mvo r1, r2").And.Contain("    ^"));
    }

    [Test]
    public void Reports_Every_Error_Of_A_File_In_Source_Order()
    {
        var errors = Errors("""
            jmp nowhere
            add r1, r2
            li r99, 1
            .wrod 3
            addi r1, r1, 99999
            ld r1, [42]
            """);
        Assert.That(errors.Select(e => e.Line), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(errors.Select(e => e.Message), Has.Some.Contains("undefined symbol 'nowhere'")
            .And.Some.Contains("takes 3 operands, not 2")
            .And.Some.Contains("expected a register")
            .And.Some.Contains("did you mean '.word'?")
            .And.Some.Contains("does not fit in 16 signed bits")
            .And.Some.Contains("starts with a base register"));
        Assert.That(errors.All(e => e.Hint is not null || e.Message.Contains("did you mean")), "every error says what to do");
    }

    [Test]
    public void Suggests_A_Label_For_A_Misspelt_Symbol()
    {
        var errors = Errors("loop: nop\njne lop\n");
        Assert.That(errors[0].Message, Is.EqualTo("undefined symbol 'lop' (did you mean 'loop'?)"));
        Assert.That(errors[0].Column, Is.EqualTo(5));
    }

    [Test]
    public void Rejects_Duplicate_Labels_And_Register_Names_As_Labels()
    {
        var errors = Errors("a: nop\na: nop\nr3: nop\n");
        Assert.That(errors[0].Message, Does.Contain("'a' is already defined at kernel.s:1"));
        Assert.That(errors[1].Message, Does.Contain("register name"));
    }

    [Test]
    public void Evaluates_Expressions_Constants_And_The_Current_Address()
    {
        var program = Assembler.Assembler.AssembleText("""
            .equ BASE, 0x100
            SIZE = 3 * (4 + 1)
                li r1, BASE + SIZE << 1
                li r2, ~0 & 0xFF | 0x100
                li r3, 'A' + 1
            here:
                li r4, . - here
                li r5, -(7 % 4)
                hlt
            """);
        var core = RunToEnd(program);
        Assert.That(new[] { core.State.R[1], core.State.R[2], core.State.R[3], core.State.R[4], core.State.R[5] },
            Is.EqualTo(new[] { (0x100u + 15) << 1, 0x1FFu, 66u, 0u, unchecked((uint)-3) }));
    }

    [Test]
    public void Conditional_Assembly_Builds_Two_Variants_Of_One_Source()
    {
        const string source = """
            .ifdef PARAVIRT
                li r1, 2
            .else
                li r1, 1
            .endif
            .if 2 > 1
            .endif
            .ifndef PARAVIRT
                li r2, 7
            .endif
                hlt
            """;
        Assert.That(RunToEnd(Assembler.Assembler.AssembleText(source.Replace(".if 2 > 1\n.endif\n", ""))).State.R[1], Is.EqualTo(1u));
        var variant = Assembler.Assembler.AssembleText(source.Replace(".if 2 > 1\n.endif\n", ""), options: new AssemblerOptions { Defines = ["PARAVIRT"] });
        var core = RunToEnd(variant);
        Assert.That((core.State.R[1], core.State.R[2]), Is.EqualTo((2u, 0u)));
    }

    [Test]
    public void Reports_Unbalanced_Conditionals()
    {
        Assert.That(Errors(".if 1\nnop\n")[0].Message, Does.Contain("no .endif"));
        Assert.That(Errors(".endif\n")[0].Message, Does.Contain(".endif without .if"));
    }

    [Test]
    public void Includes_Files_Relative_To_The_Including_File()
    {
        var files = new Dictionary<string, string>
        {
            [Path.GetFullPath("lib/console.s")] = "putc:\n    out 0x3F8, r1\n    ret\n",
        };
        var options = new AssemblerOptions { ReadFile = path => files.GetValueOrDefault(path) };
        var result = Assembler.Assembler.Assemble("start:\n    li sp, 0x8000\n    li r1, 'x'\n    call putc\n    hlt\n.include \"console.s\"\n", "lib/main.s", options);
        Assert.That(result.Diagnostics, Is.Empty);
        var core = RunToEnd(result.Program!);
        Assert.That(core.Machine.Console.PendingText, Is.EqualTo("x"));
        Assert.That(result.FormatListing(), Does.Contain("out 0x3F8, r1"));
        var missing = Assembler.Assembler.Assemble(".include \"nope.s\"\n", "lib/main.s", options).Diagnostics;
        Assert.That(missing[0].Message, Does.Contain("cannot find included file 'nope.s'"));
    }

    [Test]
    public void A_File_That_Includes_Itself_Is_Stopped()
    {
        var options = new AssemblerOptions { ReadFile = _ => ".include \"self.s\"\n" };
        var errors = Assembler.Assembler.Assemble(".include \"self.s\"\n", "self.s", options).Diagnostics;
        Assert.That(errors[0].Message, Does.Contain("include cycle"));
    }

    [Test]
    public void Listing_Shows_Address_Bytes_And_Source()
    {
        var result = Assembler.Assembler.Assemble("start:\n    li r1, 42\n    hlt\n");
        var listing = result.FormatListing();
        Assert.That(listing, Does.Contain("00001000  21100000 0000002a      li r1, 42"));
        Assert.That(listing, Does.Contain("00001008  02000000               hlt"));
    }

    [Test]
    public void Disassembly_Of_The_Minikernel_Code_Reassembles_To_The_Same_Words()
    {
        var program = Assembler.Assembler.AssembleText(File.ReadAllText(TestMachine.MinikernelPath), TestMachine.MinikernelPath);
        var computer = new Computer(new MachineConfiguration());
        computer.Load(program);
        foreach (var (from, to) in new[] { ("start", "kernel_code_end"), ("user_main", "text_line") })
        {
            for (var address = program.Symbols[from]; address < program.Symbols[to];)
            {
                var word = computer.Memory.ReadWord(address);
                var next = computer.Memory.ReadWord(address + 4);
                var decoded = Disassembler.Decode(address, word, next);
                Assert.That(decoded.Length, Is.Not.Zero, $"code at 0x{address:x} decodes");
                var again = Assembler.Assembler.AssembleText($".org 0x{address:x}\n{decoded.Text}\n");
                var bytes = again.Segments[0].Bytes;
                Assert.That(BitConverter.ToUInt32(bytes), Is.EqualTo(word), $"0x{address:x}: {decoded.Text}");
                if (decoded.Length == 8) Assert.That(BitConverter.ToUInt32(bytes, 4), Is.EqualTo(next));
                address += (uint)decoded.Length;
            }
        }
    }

    [Test]
    public void Program_Images_Round_Trip_And_Bad_Files_Are_Named()
    {
        var program = Assembler.Assembler.AssembleText("start: li r1, 1\nhlt\ndata: .word 5\n");
        var bytes = program.ToBytes();
        var back = ProgramImage.Parse(bytes);
        Assert.That((back.Entry, back.Symbols["data"], back.Segments[0].Bytes), Is.EqualTo((program.Entry, program.Symbols["data"], program.Segments[0].Bytes)));
        Assert.That(() => ProgramImage.Parse(bytes[..20], "x.bin"), Throws.TypeOf<FormatException>().With.Message.Contains("x.bin").And.Message.Contains("truncated"));
        Assert.That(() => ProgramImage.Parse("MZ\0\0garbage"u8, "x.bin"), Throws.TypeOf<FormatException>().With.Message.Contains("not a VW32 program"));
    }

    [Test]
    public void Every_Mnemonic_Assembles_And_Disassembles_To_Itself()
    {
        foreach (var info in InstructionSet.All)
        {
            var op = (uint)info.Opcode << 24;
            var word = info.Form switch
            {
                OperandForm.None => op,
                OperandForm.Source => op | 2 << 16,
                OperandForm.Destination => op | 1 << 20,
                OperandForm.TwoRegisters => op | 1 << 20 | 2 << 16,
                OperandForm.ThreeRegisters => op | 1 << 20 | 2 << 16 | 3,
                OperandForm.RegistersImmediate => op | 1 << 20 | 2 << 16 | 3,
                OperandForm.RegisterImmediate or OperandForm.PortIn => op | 1 << 20 | 3,
                OperandForm.RegisterImmediate32 => op | 1 << 20,
                OperandForm.Load or OperandForm.Store => op | 1 << 20 | 2 << 16 | 8,
                OperandForm.Branch or OperandForm.Vector => op | 3,
                OperandForm.PortOut => op | 2 << 16 | 3,
                OperandForm.ToControlRegister => op | 3 << 20 | 2 << 16,
                OperandForm.FromControlRegister => op | 1 << 20 | 3 << 16,
                _ => throw new InvalidOperationException(info.Form.ToString()),
            };
            var decoded = Disassembler.Decode(0x1000, word, 0x2000);
            var program = Assembler.Assembler.AssembleText($".org 0x1000\n{decoded.Text}\n.org 0x2000\nlabel:\n");
            Assert.That(BitConverter.ToUInt32(program.Segments[0].Bytes), Is.EqualTo(word), $"{info.Mnemonic}: '{decoded.Text}'");
            Assert.That(decoded.Length, Is.EqualTo(info.Length));
        }
    }

    private static Core RunToEnd(ProgramImage program)
    {
        var computer = new Computer(new MachineConfiguration { MemorySize = 1024 * 1024 });
        computer.Load(program);
        var exit = computer.Run(10_000);
        Assert.That(exit.Reason, Is.AnyOf(ExitReason.Halt, ExitReason.BudgetSpent));
        return computer.Cores[0];
    }
}
