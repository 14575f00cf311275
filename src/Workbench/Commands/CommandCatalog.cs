using System.CommandLine;

namespace VirtualizationWorkbench.Cli.Commands;

/// <summary>Every top-level command of <c>workbench</c>, in the order <c>--help</c> lists them.
/// A new command group adds one line here and keeps its own code in its own file.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return MachineCommands.Assemble();
        yield return MachineCommands.Disassemble();
        yield return MachineCommands.Run();
        yield return BenchCommand.Create();
        yield return LabCommands.Create();
        yield return LabCommands.ProgressCommand();
        yield return VmCommands.Create();
        yield return ExperimentCommands.Create();
        yield return GradeCommands.Grade();
        yield return GradeCommands.GradeClass();
        yield return GradeCommands.Kit();
        yield return GradeCommands.Worker();
        yield return PackagerCommands.Pack();
        yield return PackagerCommands.Build();
        yield return PackagerCommands.Capture();
        yield return PackagerCommands.App();
        yield return PackagerCommands.SandboxTools();
        yield return PackagerCommands.RegistryTools();
        yield return PackagerBenchCommand.Create();
        yield return GradeCommands.Bench();
        yield return Terminal.TerminalCommands.Inspect();
        yield return Terminal.TerminalCommands.Bench();
    }
}
