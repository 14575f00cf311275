using System.CommandLine;

namespace VirtualizationWorkbench.Cli.Commands;

internal static class MachineCommands
{
    public static Command Assemble() => new("asm", "Assemble a source file.");
    public static Command Disassemble() => new("disasm", "Disassemble a program image.");
    public static Command Run() => new("run", "Run a program on the simulated machine.");
}
