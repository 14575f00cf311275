using System.CommandLine;

namespace VirtualizationWorkbench.Workbench.Commands;

/// <summary>Every top-level command of <c>workbench</c>, in the order <c>--help</c> lists them.
/// A new command group adds one line here and keeps its own code in its own file.</summary>
internal static class CommandCatalog
{
    // Each command is named here as well as built by its factory, so that a command line naming one command
    // builds only that one: building all of them costs about 20 ms of JIT at every start, which `app run`
    // (whose goal is to start like the bare application) cannot afford. A test keeps the names in step.
    private static readonly (string Name, Func<Command> Create)[] Entries =
    [
        ("asm", MachineCommands.Assemble),
        ("disasm", MachineCommands.Disassemble),
        ("run", MachineCommands.Run),
        ("bench", BenchCommand.Create),
        ("lab", LabCommands.Create),
        ("progress", LabCommands.ProgressCommand),
        ("vm", VmCommands.Create),
        ("emulate", EmulateCommand.Create),
        ("experiment", ExperimentCommands.Create),
        ("network", NetworkCommands.Create),
        ("grade", GradeCommands.Grade),
        ("grade-class", GradeCommands.GradeClass),
        ("kit", GradeCommands.Kit),
        ("grade-worker", GradeCommands.Worker),
        ("pack", PackagerCommands.Pack),
        ("build", PackagerCommands.Build),
        ("capture", PackagerCommands.Capture),
        ("app", PackagerCommands.App),
        ("sandbox", PackagerCommands.SandboxTools),
        ("registry", PackagerCommands.RegistryTools),
        ("key", KeyCommands.Create),
        ("inspect", Terminal.TerminalCommands.Inspect),
        ("bytecode", BytecodeCommands.Create),
    ];

    /// <summary>The names of every command, in catalog order.</summary>
    public static IEnumerable<string> Names => Entries.Select(entry => entry.Name);

    /// <summary>Every command.</summary>
    public static IEnumerable<Command> All() => Entries.Select(entry => entry.Create());

    /// <summary>The commands a command line needs: only the one its first word names, or all of them (for
    /// help, the terminal UI, and the suggestions a mistyped command gets).</summary>
    public static IEnumerable<Command> For(IReadOnlyList<string> arguments)
    {
        if (arguments.Count > 0)
        {
            foreach (var (name, create) in Entries)
            {
                if (name == arguments[0])
                {
                    return [create()];
                }
            }
        }
        return All();
    }
}
