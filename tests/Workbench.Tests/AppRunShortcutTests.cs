using System.CommandLine;
using VirtualizationWorkbench.Workbench.Commands;

namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary><c>app run</c> reads its plain command lines without the parser (a start-up saving); every line it
/// accepts must mean what the parser makes of it, and every other line must be left to the parser.</summary>
public class AppRunShortcutTests
{
    private static readonly string[][] Accepted =
    [
        ["app", "run", "p.vapp"],
        ["app", "run", "p.vapp", "--", "write", "hello", "world"],
        ["app", "run", "p.vapp", "a", "b"],
        ["app", "run", "p.vapp", "--entry", "Two", "--", "-x", "--y", "@z"],
        ["app", "run", "--entry", "Two", "p.vapp"],
        ["app", "run", "p.vapp", "--sandbox", "/tmp/s", "a", "--entry", "E"],
        ["app", "run", "p.vapp", "--", "--entry", "X", "--"],
        ["app", "run", "p.vapp", "--", ""],
        ["app", "run", "my package.vapp", "--sandbox", "dir with spaces", "--", "ünïcode"],
        ["app", "run", "/tmp/p.vapp", "--sandbox", "/tmp/s", "--", "/h", "/?"],
    ];

    private static readonly string[][] LeftToTheParser =
    [
        ["app", "run"],
        ["app", "run", "--help"],
        ["app", "run", "-h"],
        ["app", "run", "p.vapp", "--entry"],
        ["app", "run", "p.vapp", "--entry", "--sandbox", "s"],
        ["app", "run", "p.vapp", "--entry", "a", "--entry", "b"],
        ["app", "run", "p.vapp", "--entry=a"],
        ["app", "run", "p.vapp", "--bogus"],
        ["app", "run", "p.vapp", "-x"],
        ["app", "run", "@response.rsp"],
        ["app", "run", "/h"],
        ["app", "run", "p.vapp", "/?"],
        ["app", "run", "p.vapp", "/h"],
        ["app", "run", "p.vapp", "-?"],
        ["app", "run", ""],
        ["app", "inspect", "p.vapp"],
        ["run", "p.vapp"],
    ];

    [TestCaseSource(nameof(Accepted))]
    public void An_Accepted_Line_Means_What_The_Parser_Makes_Of_It(string[] line)
    {
        var request = AppRunShortcut.TryParse(line);
        var parse = new RootCommand { PackagerCommands.App() }.Parse(line);

        Assert.That(request, Is.Not.Null, "a plain `app run` line should not need the parser");
        Assert.That(parse.Errors, Is.Empty, "the parser should accept this line too");
        Assert.That(parse.CommandResult.Command.Name, Is.EqualTo("run"));
        Assert.That(request!.Package, Is.EqualTo(parse.GetValue<string>("package")));
        Assert.That(request.Entry, Is.EqualTo(parse.GetValue<string?>("--entry")));
        Assert.That(request.Sandbox, Is.EqualTo(parse.GetValue<string?>("--sandbox")));
        Assert.That(request.Arguments, Is.EqualTo(parse.GetValue<string[]>("arguments") ?? []));
    }

    [TestCaseSource(nameof(LeftToTheParser))]
    public void Help_Mistakes_And_Unusual_Forms_Are_Left_To_The_Parser(string[] line) =>
        Assert.That(AppRunShortcut.TryParse(line), Is.Null);

    [Test]
    [Category(TestCategories.EndToEnd)]
    public void App_Run_Help_Still_Comes_From_The_Parser()
    {
        var folder = Directory.CreateTempSubdirectory("wb-apprun-").FullName;
        try
        {
            var help = WorkbenchProcess.Run(folder, "app", "run", "--help");
            var missingValue = WorkbenchProcess.Run(folder, "app", "run", "p.vapp", "--entry");

            Assert.That(help.ExitCode, Is.Zero, help.ToString());
            Assert.That(help.Output, Does.Contain("--sandbox").And.Contain("Run a package's entry point"));
            Assert.That(missingValue.ExitCode, Is.Not.Zero, missingValue.ToString());
            Assert.That(missingValue.Errors, Does.Contain("--entry"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
