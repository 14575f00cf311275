using System.CommandLine;

namespace VirtualizationWorkbench.Cli.Commands;

internal static class BenchCommand
{
    public static Command Create() => new("bench", "Measure the machine core's speed.");
}
