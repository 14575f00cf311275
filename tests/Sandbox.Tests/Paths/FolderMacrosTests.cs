using VirtualizationWorkbench.Sandbox.Paths;

namespace VirtualizationWorkbench.Sandbox.Tests.Paths;

public sealed class FolderMacrosTests
{
    [Test]
    public void A_Host_Path_Should_Fall_Under_The_Macro_With_The_Longest_Folder()
    {
        var macros = new FolderMacros(new Dictionary<string, string>
        {
            [FolderMacros.RootMacro] = "/",
            ["%Profile%"] = "/home/ada",
            ["%AppData%"] = "/home/ada/.config",
            ["%Temp%"] = "/tmp",
        });

        Assert.That(macros.Locate("/home/ada/.config/Notes/n.ini"), Is.EqualTo(new VirtualLocation("%AppData%", "Notes/n.ini")));
        Assert.That(macros.Locate("/home/ada/notes.txt"), Is.EqualTo(new VirtualLocation("%Profile%", "notes.txt")));
        Assert.That(macros.Locate("/home/adam/x"), Is.EqualTo(new VirtualLocation(FolderMacros.RootMacro, "home/adam/x")));
        Assert.That(macros.Locate("/etc/hosts"), Is.EqualTo(new VirtualLocation(FolderMacros.RootMacro, "etc/hosts")));
    }

    [Test]
    public void Two_Macros_On_One_Folder_Should_Resolve_To_The_One_The_Table_Names_First()
    {
        var macros = new FolderMacros(new Dictionary<string, string>
        {
            ["%Profile%"] = "/home/ada",
            ["%Personal%"] = "/home/ada",
            [FolderMacros.RootMacro] = "/",
        });

        Assert.That(macros.Locate("/home/ada/a.txt").Macro, Is.EqualTo("%Profile%"));
    }
}
