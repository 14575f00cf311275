using System.CommandLine;
using VirtualizationWorkbench.Bench;
using VirtualizationWorkbench.Workbench;

var root = new RootCommand("Developer benchmarks of the Virtualization Workbench (figures go to docs/benchmarks.md).")
{
    PackagerBenchCommand.Create(),
    RegistryBenchCommand.Create(),
    GradingBenchCommand.Create(),
    UiBenchCommand.Create(),
};
var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
return UserError.Guard(() => root.Parse(args).Invoke(invocation));
