using VirtualizationWorkbench.Workbench.Commands;

namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary>The command catalog builds only the command a command line names (a start-up saving for
/// <c>app run</c>), so its names must stay in step with the commands, and help must still list them all.</summary>
public class CommandCatalogTests
{
    [Test]
    public void Every_Catalog_Name_Is_The_Name_Of_The_Command_It_Builds()
    {
        var built = CommandCatalog.All().Select(command => command.Name).ToList();
        Assert.That(CommandCatalog.Names, Is.EqualTo(built));
        Assert.That(built, Is.Unique);
    }

    [Test]
    public void A_Command_Line_Naming_A_Command_Builds_Only_That_Command()
    {
        Assert.That(CommandCatalog.For(["app", "run", "x.vapp"]).Select(command => command.Name), Is.EqualTo(new[] { "app" }));
        Assert.That(CommandCatalog.For(["inspect"]).Select(command => command.Name), Is.EqualTo(new[] { "inspect" }));
    }

    [Test]
    public void Help_No_Command_Or_A_Mistyped_One_Builds_Every_Command()
    {
        var all = CommandCatalog.Names.ToList();
        Assert.That(CommandCatalog.For([]).Select(command => command.Name), Is.EqualTo(all));
        Assert.That(CommandCatalog.For(["--help"]).Select(command => command.Name), Is.EqualTo(all));
        Assert.That(CommandCatalog.For(["ap", "run"]).Select(command => command.Name), Is.EqualTo(all));
    }

    [Test]
    [Category(TestCategories.EndToEnd)]
    public void Workbench_Help_Lists_Every_Command()
    {
        var folder = Directory.CreateTempSubdirectory("wb-catalog-").FullName;
        try
        {
            var result = WorkbenchProcess.Run(folder, "--help");
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
            foreach (var name in CommandCatalog.Names.Where(name => name != "grade-worker"))
            {
                Assert.That(result.Output, Does.Contain($"  {name} "), $"--help does not list {name}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
