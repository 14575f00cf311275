using VirtualizationWorkbench.Packager.Running.Boundary;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;

namespace VirtualizationWorkbench.Packager.Tests.Running;

/// <summary>How isolation rules become mounts: one per host folder a macro or rule names, by its mode.</summary>
public sealed class MountPlanTests
{
    private string _root = null!;
    private FolderMacros _macros = null!;

    [SetUp]
    public void CreateFolders()
    {
        _root = Directory.CreateTempSubdirectory("vwb-mountplan-").FullName;
        foreach (var folder in new[] { "home/.config", "home/docs", "extracted/%AppData%/App", "sandbox" })
        {
            Directory.CreateDirectory(Path.Combine(_root, folder));
        }
        _macros = new FolderMacros(new Dictionary<string, string>
        {
            ["%Profile%"] = Path.Combine(_root, "home"),
            ["%AppData%"] = Path.Combine(_root, "home/.config"),
            ["%Drive_Root%"] = "/",
        });
    }

    [TearDown]
    public void DeleteFolders() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Each_Mode_Becomes_Its_Mount_Outermost_First()
    {
        var policy = new IsolationPolicy(IsolationMode.WriteCopy, new Dictionary<string, IsolationMode>
        {
            ["%AppData%"] = IsolationMode.Full,
            ["%Profile%/docs"] = IsolationMode.Merged,
        });

        var plan = MountPlan.For(_macros, policy, Path.Combine(_root, "extracted"), Path.Combine(_root, "sandbox"), []);

        Assert.That(plan.Folders, Is.EqualTo(new[]
        {
            (Path.Combine(_root, "home"), IsolationMode.WriteCopy),
            (Path.Combine(_root, "home/.config"), IsolationMode.Full),
            (Path.Combine(_root, "home/docs"), IsolationMode.Merged),
        }));
        var overlays = Options(plan, "overlay");
        // Write-copy: the host folder is the lowest layer; full: only the package's files, never the host's.
        Assert.That(overlays[0], Does.StartWith($"lowerdir={_root}/home,upperdir={_root}/sandbox/kernel/%25Profile%25,"));
        Assert.That(overlays[1], Does.StartWith($"lowerdir={_root}/extracted/%AppData%,upperdir="));
        Assert.That(Options(plan, "bind")[0], Is.EqualTo(Path.Combine(_root, "home/docs")));
        // Everything is read-only before the rules' mounts are made writable again, and the sandbox's kernel
        // layers are covered last.
        var steps = plan.Steps.ToList();
        Assert.That(steps.IndexOf("read-only-all"), Is.LessThan(steps.IndexOf("writable")));
        Assert.That(string.Join(' ', steps), Does.Contain($"tmpfs {_root}/sandbox/kernel read-only {_root}/sandbox/kernel"));
    }

    [Test]
    public void A_Merged_Folder_The_Host_Lacks_Is_Made_On_The_Host_And_Bound()
    {
        var policy = new IsolationPolicy(IsolationMode.WriteCopy, new Dictionary<string, IsolationMode>
        {
            ["%AppData%/App"] = IsolationMode.Merged,
            ["%AppData%/Deep/Er"] = IsolationMode.Merged,
            ["%Profile%/missing"] = IsolationMode.Full,
        });

        var plan = MountPlan.For(_macros, policy, Path.Combine(_root, "extracted"), Path.Combine(_root, "sandbox"), []);

        Assert.That(Directory.Exists(Path.Combine(_root, "home/.config/App")), Is.True, "made where the host's folder would be");
        Assert.That(plan.Folders, Does.Contain((Path.Combine(_root, "home/.config/App"), IsolationMode.Merged)));
        Assert.That(Directory.Exists(Path.Combine(_root, "home/.config/Deep")), Is.False, "never a chain of folders");
        Assert.That(Directory.Exists(Path.Combine(_root, "home/missing")), Is.False, "only merged folders are the host's to make");
    }

    [Test]
    public void A_Path_An_Overlay_Cannot_Name_Is_Refused()
    {
        var odd = Directory.CreateDirectory(Path.Combine(_root, "a:b")).FullName;

        Assert.That(() => MountPlan.For(_macros, new IsolationPolicy(IsolationMode.WriteCopy), Path.Combine(_root, "extracted"), odd, []),
            Throws.TypeOf<PlatformNotSupportedException>().With.Message.Contains("a:b"));
    }

    private static List<string> Options(MountPlan plan, string step)
    {
        var steps = plan.Steps.ToList();
        return [.. steps.Select((value, index) => (value, index)).Where(entry => entry.value == step && entry.index + 2 < steps.Count).Select(entry => steps[entry.index + (step == "overlay" ? 2 : 1)])];
    }
}
