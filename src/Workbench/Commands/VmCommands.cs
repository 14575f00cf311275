using System.CommandLine;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Workbench.Running;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Virtualization;
using VirtualizationWorkbench.Machine.Virtualization.Paravirtualization;

namespace VirtualizationWorkbench.Workbench.Commands;

/// <summary><c>workbench vm run</c>: a guest under one of the course's monitors, from the command line.</summary>
internal static class VmCommands
{
    private const string SplitConsole = "split-console";

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The guest kernel: assembly source (.s) or program (.bin)" };
        var monitor = new Option<string>("--monitor", "-m")
        {
            Description = "The technique: " + string.Join(", ", MonitorCatalog.Names) + $", or {SplitConsole} (the file as DomU, with Dom0's console back-end)",
            Required = true,
        };
        var costs = new Option<string>("--costs") { Description = "Cost table: default, 2006 or modern", DefaultValueFactory = _ => "default" };
        var maxSteps = new Option<long>("--max-steps") { Description = "Stop after this many guest instructions", DefaultValueFactory = _ => 50_000_000 };
        var stats = new Option<bool>("--stats") { Description = "Print the core's counters and the monitor's statistics when the run ends" };
        var defines = new Option<string[]>("--define", "-D") { Description = "Define a symbol for conditional assembly (-D PARAVIRT); repeatable" };
        var labs = new Option<string?>("--labs") { Description = "The folder of labs (for Dom0's back-end in labs/guests)" };
        var engine = EngineOption.Create();
        var run = new Command("run", "Run a guest under a virtual machine monitor; its console goes to standard output")
        {
            file, monitor, costs, maxSteps, stats, defines, labs, engine,
        };
        run.SetAction(parse =>
        {
            var executionEngine = EngineOption.Parse(parse.GetValue(engine)!);
            var table = CostTables.Find(parse.GetValue(costs)!) ?? throw new UserError($"--costs: no cost table '{parse.GetValue(costs)}'; the tables are default, 2006 and modern");
            var steps = parse.GetValue(maxSteps);
            if (steps <= 0) throw new UserError("--max-steps must be a positive number of instructions");
            var program = ProgramLoader.Load(parse.GetValue(file)!, parse.GetValue(defines) ?? []);
            var technique = parse.GetValue(monitor)!;
            if (technique == SplitConsole) return RunSplit(program, table, steps, parse.GetValue(stats), parse.GetValue(labs), executionEngine);
            var vm = MonitorCatalog.Create(technique, table)
                ?? throw new UserError($"--monitor: no technique '{technique}'; choose from {string.Join(", ", MonitorCatalog.Names)}, {SplitConsole}");
            foreach (var core in vm.Computer.Cores) core.Engine = executionEngine;
            try
            {
                vm.Load(program);
            }
            catch (ArgumentException e)
            {
                throw new UserError($"{parse.GetValue(file)}: {e.Message}");
            }
            var result = vm.Run(steps);
            Console.Write(vm.ConsoleOutput);
            if (parse.GetValue(stats))
            {
                Console.WriteLine($"monitor: {vm.Name}, cost table {table.Name}");
                Print(vm.Core.Counters.Describe().Concat(vm.Statistics.Describe()));
            }
            return Report(result, steps);
        });
        var command = new Command("vm", "Virtual machine monitors: run a guest under trap-and-emulate, binary translation, paravirtualization or hardware assistance");
        command.Add(run);
        return command;
    }

    private static int RunSplit(ProgramImage guest, CostTable table, long steps, bool stats, string? labs, ExecutionEngine engine)
    {
        var backEnd = Path.Combine(LabCatalog.Locate(labs).LabsFolder, "guests", "dom0-console.s");
        if (!File.Exists(backEnd)) throw new UserError($"{backEnd}: missing; Dom0's console back-end lives there");
        var system = new SplitDriverSystem(table);
        foreach (var core in system.Computer.Cores) core.Engine = engine;
        system.Load(guest, Assembler.AssembleText(File.ReadAllText(backEnd), backEnd));
        var result = system.Run(steps);
        Console.Write(system.ConsoleOutput);
        if (stats)
        {
            Console.WriteLine($"split drivers: {system.Channel.Events:N0} events, {system.Channel.BytesCopied:N0} bytes copied out of the granted ring");
            Console.WriteLine("DomU:");
            Print(system.DomU.Core.Counters.Describe().Concat(system.DomU.Statistics.Describe()));
            Console.WriteLine("Dom0:");
            Print(system.Dom0.Core.Counters.Describe().Concat(system.Dom0.Statistics.Describe()));
        }
        return Report(result, steps);
    }

    private static void Print(IEnumerable<KeyValuePair<string, ulong>> values)
    {
        foreach (var (name, value) in values) Console.WriteLine($"{name,-32} {value,16:N0}");
    }

    private static int Report(MonitorRun result, long steps)
    {
        switch (result.Outcome)
        {
            case MonitorOutcome.Halted:
                return GuestRun.Halted;
            case MonitorOutcome.BudgetSpent:
                Console.Error.WriteLine($"error: the guest did not halt within {steps:N0} instructions; raise the limit with --max-steps");
                return GuestRun.StepLimit;
            default:
                Console.Error.WriteLine($"error: the guest failed: {result.Message}");
                return GuestRun.GuestError;
        }
    }
}
