using System.CommandLine;
using VirtualizationWorkbench.Workbench.Running;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Workbench.Commands;

/// <summary><c>asm</c>, <c>disasm</c> and <c>run</c>: the machine core from the command line.</summary>
internal static class MachineCommands
{
    private static Option<string[]> Defines() => new("--define", "-D")
    {
        Description = "Define a symbol for conditional assembly (.ifdef NAME); repeatable",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Command Assemble()
    {
        var file = new Argument<string>("file") { Description = "Assembly source (.s)" };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the program (default: the source name with .bin)" };
        var listing = new Option<bool>("--listing") { Description = "Print a listing: address, bytes and source side by side" };
        var defines = Defines();
        var command = new Command("asm", "Assemble a VW32 source file into a program (.bin)") { file, output, listing, defines };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new UserError($"{path}: no such file");
            var result = ProgramLoader.Assemble(path, parse.GetValue(defines) ?? []);
            var target = parse.GetValue(output) ?? Path.ChangeExtension(path, ".bin");
            var bytes = result.Program!.ToBytes();
            AtomicFile.Write(target, stream => stream.Write(bytes));
            if (parse.GetValue(listing))
            {
                Console.Write(result.FormatListing());
            }
            Console.Error.WriteLine($"{path}: {result.Program.Segments.Sum(s => s.Bytes.Length)} bytes, entry 0x{result.Program.Entry:x8} -> {target}");
            return 0;
        });
        return command;
    }

    public static Command Disassemble()
    {
        var file = new Argument<string>("file") { Description = "Program (.bin) or source (.s)" };
        var defines = Defines();
        var command = new Command("disasm", "Disassemble a VW32 program") { file, defines };
        command.SetAction(parse =>
        {
            var program = ProgramLoader.Load(parse.GetValue(file)!, parse.GetValue(defines) ?? []);
            Console.WriteLine($"; entry 0x{program.Entry:x8}");
            Console.Write(Disassembler.Disassemble(program));
            return 0;
        });
        return command;
    }

    public static Command Run()
    {
        var file = new Argument<string>("file") { Description = "Program (.bin) or assembly source (.s)" };
        var maxSteps = new Option<long>("--max-steps") { Description = "Stop with an error after this many instructions", DefaultValueFactory = _ => 100_000_000 };
        var cores = new Option<int>("--cores") { Description = "Number of cores (1-16); each starts at the entry point", DefaultValueFactory = _ => 1 };
        var memory = new Option<string>("--memory") { Description = "RAM size, e.g. 16M", DefaultValueFactory = _ => "16M" };
        var trace = new Option<bool>("--trace") { Description = "Print traps, interrupts, page faults and exits to standard error as they happen" };
        var stats = new Option<bool>("--stats") { Description = "Print the counters when the run ends" };
        var costs = new Option<string?>("--costs") { Description = "A cost table in JSON: any subset of the entries named in curriculum/reference/isa.md, 'Cost model'" };
        var defines = Defines();
        var engine = EngineOption.Create();
        var command = new Command("run", "Run a program on the simulated machine; its console goes to standard output")
        {
            file, maxSteps, cores, memory, trace, stats, costs, defines, engine,
        };
        command.SetAction(parse =>
        {
            var executionEngine = EngineOption.Parse(parse.GetValue(engine)!);
            var program = ProgramLoader.Load(parse.GetValue(file)!, parse.GetValue(defines) ?? []);
            var steps = parse.GetValue(maxSteps);
            if (steps <= 0) throw new UserError("--max-steps must be a positive number of instructions");
            var coreCount = parse.GetValue(cores);
            if (coreCount is < 1 or > 16) throw new UserError("--cores must be between 1 and 16");
            var size = ByteSize.Parse(parse.GetValue(memory)!, "--memory");
            if (size < 64 * 1024 || size % 4096 != 0 || size > 1024u * 1024 * 1024)
            {
                throw new UserError("--memory must be a multiple of 4K between 64K and 1G");
            }
            var table = CostTable.Default;
            if (parse.GetValue(costs) is { } costFile)
            {
                try
                {
                    table = CostTable.Load(costFile);
                }
                catch (FormatException e)
                {
                    throw new UserError(e.Message);
                }
            }
            var computer = new Computer(new MachineConfiguration { MemorySize = size, Cores = coreCount, Costs = table, Engine = executionEngine });
            try
            {
                computer.Load(program);
            }
            catch (ArgumentException e)
            {
                throw new UserError($"{parse.GetValue(file)}: {e.Message}; give the machine more memory with --memory");
            }
            if (parse.GetValue(trace))
            {
                foreach (var core in computer.Cores)
                {
                    core.Trace.Listener = e => Console.Error.WriteLine(e);
                }
            }
            var run = new GuestRun(computer, Console.Out, Console.Error);
            var code = run.Execute(steps);
            if (parse.GetValue(stats))
            {
                run.PrintStatistics();
            }
            return code;
        });
        return command;
    }
}
