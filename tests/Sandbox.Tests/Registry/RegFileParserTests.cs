using System.Text;
using VirtualizationWorkbench.Sandbox.Registry;

namespace VirtualizationWorkbench.Sandbox.Tests.Registry;

public sealed class RegFileParserTests
{
    // As regedit on Windows 10 exports it (UTF-16 LE with BOM, CRLF, wrapped hex with two-space indents).
    private const string Regedit5 =
        "Windows Registry Editor Version 5.00\r\n\r\n" +
        "; a comment\r\n" +
        "[HKEY_CURRENT_USER\\Software\\Vendor\\App]\r\n" +
        "@=\"default value\"\r\n" +
        "\"Name\"=\"Quote \\\" and backslash \\\\\"\r\n" +
        "\"Count\"=dword:0000002a\r\n" +
        "\"Big\"=hex(b):00,00,00,00,00,01,00,00\r\n" +
        "\"Blob\"=hex:01,02,\\\r\n  03,ff\r\n" +
        "\"Expand\"=hex(2):25,00,48,00,4f,00,4d,00,45,00,25,00,00,00\r\n" +
        "\"Lines\"=hex(7):61,00,00,00,62,00,00,00,00,00\r\n" +
        "\"Gone\"=-\r\n\r\n" +
        "[-HKEY_LOCAL_MACHINE\\Software\\Old]\r\n";

    [Test]
    public void Should_Read_Every_Value_Type_Of_A_Version5_File_In_Utf16()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Regedit5)).ToArray();

        var document = RegFileParser.Parse(bytes, "test.reg");

        Assert.That(document.Keys, Has.Count.EqualTo(2));
        var key = document.Keys[0];
        Assert.That(key.Path, Is.EqualTo(@"HKEY_CURRENT_USER\Software\Vendor\App"));
        var values = key.Values.ToDictionary(pair => pair.Name, pair => pair.Value);
        Assert.Multiple(() =>
        {
            Assert.That(values[""], Is.EqualTo(RegistryValue.String("default value")));
            Assert.That(values["Name"], Is.EqualTo(RegistryValue.String("Quote \" and backslash \\")));
            Assert.That(values["Count"], Is.EqualTo(RegistryValue.DWord(42)));
            Assert.That(values["Big"], Is.EqualTo(RegistryValue.QWord(1UL << 40)));
            Assert.That(values["Blob"], Is.EqualTo(RegistryValue.Binary([1, 2, 3, 255])));
            Assert.That(values["Expand"], Is.EqualTo(RegistryValue.ExpandString("%HOME%")));
            Assert.That(values["Lines"], Is.EqualTo(RegistryValue.MultiString(["a", "b"])));
            Assert.That(values["Gone"], Is.Null);
            Assert.That(document.Keys[1].Delete, Is.True);
            Assert.That(document.Keys[1].Path, Is.EqualTo(@"HKEY_LOCAL_MACHINE\Software\Old"));
        });
    }

    [Test]
    public void Should_Read_Regedit4_Files_With_Abbreviated_Hives()
    {
        var text = "REGEDIT4\n\n[HKLM\\Software\\X]\n\"A\"=\"b\"\n\"E\"=hex(2):25,41,25,00\n";

        var document = RegFileParser.Parse(Encoding.ASCII.GetBytes(text), "old.reg");

        Assert.That(document.Keys[0].Path, Is.EqualTo(@"HKEY_LOCAL_MACHINE\Software\X"));
        Assert.That(document.Keys[0].Values[1].Value, Is.EqualTo(RegistryValue.ExpandString("%A%")));
    }

    [TestCase("Windows Registry Editor 4\r\n", 1, 1, "expected the header")]
    [TestCase("REGEDIT4\n\"A\"=\"b\"\n", 2, 1, "before any [KEY]")]
    [TestCase("REGEDIT4\n[HKEY_NOWHERE\\X]\n", 2, 2, "not a registry hive")]
    [TestCase("REGEDIT4\n[HKCU\\X\n", 2, 8, "no closing ']'")]
    [TestCase("REGEDIT4\n[HKCU\\X]\n\"A\"=\"unterminated\n", 3, 18, "no closing '\"'")]
    [TestCase("REGEDIT4\n[HKCU\\X]\n\"A\"=dword:12345678a\n", 3, 11, "is not a dword")]
    [TestCase("REGEDIT4\n[HKCU\\X]\n\"A\"=hex:01,zz\n", 3, 12, "expected a hex byte")]
    [TestCase("REGEDIT4\n[HKCU\\X]\n\"A\"=hex:01,\\\n  02,xx\n", 4, 6, "expected a hex byte")]
    [TestCase("REGEDIT4\n[HKCU\\X]\n\"A\" \"b\"\n", 3, 5, "expected '='")]
    [TestCase("REGEDIT4\n[HKCU\\X]\n\"A\"=oops\n", 3, 5, "expected value data")]
    public void Should_Name_Line_And_Column_Of_A_Malformed_File(string text, int line, int column, string problem)
    {
        var error = Assert.Throws<RegFileFormatException>(() => RegFileParser.Parse(Encoding.UTF8.GetBytes(text), "bad.reg"))!;

        Assert.That(error.Message, Does.StartWith($"bad.reg:{line}:{column}: "));
        Assert.That(error.Message, Does.Contain(problem));
    }

    // Windows' limits (key names of 255 characters, 512 levels), and a hex value continued where nothing follows.
    private static IEnumerable<TestCaseData> FilesBeyondLimits()
    {
        yield return new TestCaseData("REGEDIT4\n[HKCU\\" + new string('k', 256) + "]\n", 2, 2, "is 256 characters long; Windows allows at most 255")
            .SetArgDisplayNames("key name of 256 characters");
        yield return new TestCaseData("REGEDIT4\n[HKCU" + string.Concat(Enumerable.Repeat("\\k", 513)) + "]\n", 2, 2, "is 513 keys deep; Windows allows at most 512")
            .SetArgDisplayNames("513 levels");
        yield return new TestCaseData("REGEDIT4\n[HKCU\\X]\n\"A\"=hex:01,\\\n", 3, 12, "continues ('\\') past the end of the file")
            .SetArgDisplayNames("continued at the end");
        yield return new TestCaseData("REGEDIT4\r\n[HKCU\\X]\r\n\"A\"=hex:01,\\\r\n\r\n\r\n", 3, 12, "continues ('\\') past the end of the file")
            .SetArgDisplayNames("continued before blank lines at the end");
        yield return new TestCaseData("REGEDIT4\n[HKCU\\X]\n\"A\"=hex:01,\\\n\n\"B\"=dword:1\n", 3, 12, "onto line 4, which is empty")
            .SetArgDisplayNames("continued onto a blank line");
    }

    [TestCaseSource(nameof(FilesBeyondLimits))]
    public void Should_Refuse_What_Windows_Refuses_With_Line_And_Column(string text, int line, int column, string problem)
    {
        var error = Assert.Throws<RegFileFormatException>(() => RegFileParser.Parse(Encoding.UTF8.GetBytes(text), "limits.reg"))!;

        Assert.That((error.Line, error.Column), Is.EqualTo((line, column)), error.Message);
        Assert.That(error.Message, Does.StartWith($"limits.reg:{line}:{column}: ").And.Contain(problem));
    }

    [Test]
    public void Should_Accept_Keys_At_Windows_Limits()
    {
        var path = "HKEY_CURRENT_USER\\" + string.Join("\\", Enumerable.Repeat(new string('k', 255), 512));

        var document = RegFileParser.Parse(Encoding.UTF8.GetBytes($"REGEDIT4\n[{path}]\n\"A\"=hex:01,\\\n  02\n"), "limits.reg");

        Assert.That(document.Keys.Single().Path, Is.EqualTo(path));
        Assert.That(document.Keys.Single().Values.Single().Value, Is.EqualTo(RegistryValue.Binary([1, 2])));
    }

    // Each quotes the file's own text in its error: an ESC sequence there could retitle or clear the terminal. The
    // cases have display names because a test runner drops test cases whose names hold control characters.
    private static IEnumerable<TestCaseData> FilesWithControlCharacters()
    {
        yield return new TestCaseData("\u001b]0;owned\u0007\n", @"found '\x1b]0;owned\x07'").SetArgDisplayNames("header");
        yield return new TestCaseData("REGEDIT4\n[HKEY_\u001b[2J\\X]\n", @"'HKEY_\x1b[2J' is not a registry hive").SetArgDisplayNames("hive");
        yield return new TestCaseData("REGEDIT4\n[HKCU\\X]\n\"A\"\u0007\"b\"\n", @"found '\x07'").SetArgDisplayNames("separator");
        yield return new TestCaseData("REGEDIT4\n[HKCU\\X]\n\"A\"=hex:01,\u009b2J\n", @"found '\x9b2J'").SetArgDisplayNames("hex byte");
        yield return new TestCaseData("REGEDIT4\n[HKCU\\X]\n\"A\"=\"b\" \u202eevil\n", @"unexpected text '\u202eevil'").SetArgDisplayNames("trailing text");
    }

    [TestCaseSource(nameof(FilesWithControlCharacters))]
    public void Should_Show_The_Files_Control_Characters_Escaped_In_Errors(string text, string shown)
    {
        var error = Assert.Throws<RegFileFormatException>(() => RegFileParser.Parse(Encoding.UTF8.GetBytes(text), "bad\u001b.reg"))!;

        Assert.That(error.Message, Does.StartWith(@"bad\x1b.reg:").And.Contain(shown));
        Assert.That(error.Message.Where(c => char.IsControl(c) || c == '\u202e'), Is.Empty);
        Assert.That(error.File, Is.EqualTo("bad\u001b.reg"), "the property keeps the name as given");
    }
}
