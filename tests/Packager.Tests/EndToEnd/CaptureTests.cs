using System.Text;

namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>Capture an install, build the project, run it after the install is gone.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class CaptureTests
{
    private Machine _machine = null!;

    [SetUp]
    public void CreateMachine() => _machine = new Machine();

    [TearDown]
    public void DeleteMachine() => _machine.Dispose();

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static void WriteReg(string path, string body) =>
        File.WriteAllBytes(path, [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("Windows Registry Editor Version 5.00\r\n\r\n" + body)]);

    [Test]
    public void Capture_Build_And_Run_Should_Reproduce_The_Installed_Program()
    {
        var installRoot = Directory.CreateDirectory(Path.Combine(_machine.Home, "apps")).FullName;
        File.WriteAllText(Path.Combine(installRoot, "already-there.txt"), "not part of the install");
        WriteReg(_machine.InWork("before.reg"), "[HKEY_CURRENT_USER\\Software\\Old]\r\n\"Kept\"=\"yes\"\r\n");
        WriteReg(_machine.InWork("after.reg"), "[HKEY_CURRENT_USER\\Software\\Old]\r\n\"Kept\"=\"yes\"\r\n\r\n[HKEY_CURRENT_USER\\Software\\Installed]\r\n\"Version\"=dword:00000003\r\n");

        var begin = _machine.Workbench("capture", "begin", installRoot, "--registry", _machine.InWork("before.reg"));
        CopyFolder(TestApplications.Of("FileApp"), Path.Combine(installRoot, "FileApp"));
        var project = _machine.InWork("project");
        var end = _machine.Workbench("capture", "end", installRoot, "-o", project, "--registry", _machine.InWork("after.reg"));
        var build = _machine.Workbench("build", project, "-o", _machine.InWork("captured.vapp"));
        Directory.Delete(Path.Combine(installRoot, "FileApp"), recursive: true);
        var run = _machine.Workbench("app", "run", _machine.InWork("captured.vapp"), "--", "shipped");
        var export = _machine.Workbench("registry", "export", _machine.InWork("captured.vapp"));

        Assert.That(begin.ExitCode, Is.Zero, begin.ToString());
        Assert.That(end.ExitCode, Is.Zero, end.ToString());
        Assert.That(File.ReadAllText(Path.Combine(project, "Package.ini")), Does.Contain("[FileApp]").And.Contain(@"Source=%Profile%\apps\FileApp\FileApp.dll"));
        Assert.That(File.Exists(Path.Combine(project, "%Profile%", "apps", "already-there.txt")), Is.False);
        Assert.That(build.ExitCode, Is.Zero, build.ToString());
        Assert.That(run.Output, Is.EqualTo("shipped with the application\n"), run.ToString());
        Assert.That(export.Output, Does.Contain("[HKEY_CURRENT_USER\\Software\\Installed]\n\"Version\"=dword:00000003").And.Not.Contain("Kept"));
    }
}
