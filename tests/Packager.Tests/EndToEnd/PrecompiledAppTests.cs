using Mono.Cecil;

namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>An application published ReadyToRun: packing rewrites its IL, drops the precompiled code and says so,
/// and the package runs sandboxed like any other.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class PrecompiledAppTests
{
    private Machine _machine = null!;

    [SetUp]
    public void CreateMachine() => _machine = new Machine();

    [TearDown]
    public void DeleteMachine() => _machine.Dispose();

    [Test]
    public void A_ReadyToRun_Application_Is_Reported_Rewritten_And_Runs_In_Its_Sandbox()
    {
        var application = Path.Combine(TestApplications.Of("Precompiled"), "Precompiled.dll");
        using (var module = ModuleDefinition.ReadModule(application))
        {
            Assume.That(module.Attributes & ModuleAttributes.ILLibrary, Is.Not.EqualTo((ModuleAttributes)0), "the test application was not compiled ReadyToRun (the compiler is used on linux-x64 only)");
        }
        var package = _machine.InWork("precompiled.vapp");
        var home = _machine.Hash(_machine.Home);

        var pack = _machine.Workbench("pack", TestApplications.Of("Precompiled"), "-o", package);
        var write = _machine.Workbench("app", "run", package, "--", "kept in the sandbox");
        var read = _machine.Workbench("app", "run", package);

        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());
        Assert.That(pack.Output, Does.Contain("ReadyToRun: ReadyToRun image"));
        Assert.That(write.ExitCode, Is.Zero, write.ToString());
        Assert.That(read.Output, Is.EqualTo("kept in the sandbox\n"), read.ToString());
        Assert.That(_machine.Hash(_machine.Home), Is.EqualTo(home), "the home folder changed");
        Assert.That(File.ReadAllText(Path.Combine(_machine.Sandbox("Precompiled"), "files", "%Profile%", "precompiled-notes.txt")), Is.EqualTo("kept in the sandbox"));
    }
}
