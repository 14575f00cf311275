using VirtualizationWorkbench.Bytecode.Compiler;
using VirtualizationWorkbench.Bytecode.Host;
using VirtualizationWorkbench.Bytecode.MachinePlatform;
using VirtualizationWorkbench.Bytecode.Verification;

namespace VirtualizationWorkbench.Bytecode.Tests;

public sealed class Scratch
{
    [Test]
    public void Run()
    {
        var module = WlCompiler.Compile(File.ReadAllText("/tmp/sample.wl"), "sample.wl");
        Verifier.Verify(module);
        var bytes = module.ToBytes();
        var parsed = Format.BytecodeModule.Parse(bytes);
        var host = new HostVm(parsed).Run();
        var machine = new MachineVm(parsed, bytes).Run();
        var vm = new MachineVm(parsed, bytes);
        var jit = vm.Run(jit: true);
        TestContext.Out.WriteLine(host.Text + host.Steps + " " + host.Error);
        TestContext.Out.WriteLine(machine.Steps + " " + machine.Error + " cycles " + machine.Cycles);
        TestContext.Out.WriteLine(jit.Text + jit.Steps + " " + jit.Error + " cycles " + jit.Cycles + " " + string.Join(",", vm.CompiledFunctions));
        Assert.That(machine.Text, Is.EqualTo(host.Text));
        Assert.That(jit.Text, Is.EqualTo(host.Text));
    }
}
