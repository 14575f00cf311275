using VirtualizationWorkbench.Sandbox.Registry;

namespace VirtualizationWorkbench.Sandbox.Tests.Registry;

public sealed class RegFileRoundTripTests
{
    private static RegFileDocument Sample()
    {
        var document = new RegFileDocument();
        document.Keys.Add(new RegFileKey(@"HKEY_CURRENT_USER\Software\Round\Trip", false,
        [
            ("", RegistryValue.String("default")),
            ("Text", RegistryValue.String("a \"quoted\" \\ path")),
            ("Count", RegistryValue.DWord(uint.MaxValue)),
            ("Big", RegistryValue.QWord(ulong.MaxValue - 1)),
            ("Long binary", RegistryValue.Binary([.. Enumerable.Range(0, 200).Select(i => (byte)i)])),
            ("Expand", RegistryValue.ExpandString("%TEMP%\\x")),
            ("Lines", RegistryValue.MultiString(["first", "second", "ünïcödé"])),
            ("Gone", null),
        ]));
        document.Keys.Add(new RegFileKey(@"HKEY_LOCAL_MACHINE\Software\Removed", true, []));
        return document;
    }

    [TestCase(RegFileVersion.Version5)]
    [TestCase(RegFileVersion.Regedit4)]
    public void Should_Read_Back_Exactly_What_It_Wrote(RegFileVersion version)
    {
        var original = Sample();

        var read = RegFileParser.Parse(RegFileWriter.Write(original, version), "round.reg");

        Assert.That(read.Keys.Select(key => (key.Path, key.Delete)), Is.EqualTo(original.Keys.Select(key => (key.Path, key.Delete))));
        Assert.That(read.Keys[0].Values, Is.EqualTo(original.Keys[0].Values));
    }

    [Test]
    public void Should_Write_Version5_As_Utf16_With_Bom_Crlf_And_Wrapped_Hex()
    {
        var bytes = RegFileWriter.Write(Sample());
        var text = System.Text.Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);

        Assert.That(bytes[..2], Is.EqualTo(new byte[] { 0xFF, 0xFE }));
        Assert.That(text, Does.StartWith("Windows Registry Editor Version 5.00\r\n\r\n["));
        Assert.That(text.Split("\r\n").Max(line => line.Length), Is.LessThanOrEqualTo(80));
        Assert.That(text, Does.Contain("\"Count\"=dword:ffffffff\r\n"));
        Assert.That(text, Does.Contain(",\\\r\n  "));
    }

    [Test]
    public void Should_Round_Trip_A_Registry_Tree_With_Deletions()
    {
        var tree = new RegistryTree();
        tree.Apply(Sample(), asChanges: true);

        var again = new RegistryTree();
        again.Apply(RegFileParser.Parse(RegFileWriter.Write(tree.ToDocument()), "tree.reg"), asChanges: true);

        Assert.That(RegFileWriter.ToText(again.ToDocument()), Is.EqualTo(RegFileWriter.ToText(tree.ToDocument())));
        Assert.That(again.Find(@"HKLM\Software\Removed")!.IsTombstone, Is.True);
    }
}
