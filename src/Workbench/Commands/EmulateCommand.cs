using System.CommandLine;
using VirtualizationWorkbench.Emulation;
using VirtualizationWorkbench.Emulation.Elf;
using VirtualizationWorkbench.Emulation.SystemMode;
using VirtualizationWorkbench.Emulation.UserMode;

namespace VirtualizationWorkbench.Workbench.Commands;

/// <summary><c>workbench emulate</c>: runs a RISC-V RV32IM program, a foreign instruction set on the workbench.</summary>
internal static class EmulateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("program") { Description = "A static RV32IM ELF (riscv64-unknown-elf-gcc -march=rv32im -mabi=ilp32)" };
        var arguments = new Argument<string[]>("arguments") { Description = "Arguments for the program (after --)", Arity = ArgumentArity.ZeroOrMore };
        var engine = new Option<string>("--engine") { Description = "interpreter, translator or javascript", DefaultValueFactory = _ => "interpreter" };
        var system = new Option<bool>("--system") { Description = "System mode: a bare-metal image in machine mode on the workbench's bus; the tohost verdict is the exit code" };
        var stats = new Option<bool>("--stats") { Description = "Print instructions, cycles, blocks translated and system calls to standard error at the end" };
        var maxSteps = new Option<long>("--max-steps") { Description = "Stop after this many guest instructions", DefaultValueFactory = _ => 10_000_000_000 };
        var command = new Command("emulate", "Run a RISC-V RV32IM program: user mode (Linux system calls translated, stdout and exit code passed through) or --system")
        {
            file, arguments, engine, system, stats, maxSteps,
        };
        command.SetAction(parse => UserError.Guard(() =>
        {
            var chosen = Rv32Engines.Parse(parse.GetValue(engine)!)
                ?? throw new UserError($"--engine: no engine '{parse.GetValue(engine)}'; the engines are interpreter, translator and javascript");
            var steps = parse.GetValue(maxSteps);
            if (steps <= 0) throw new UserError("--max-steps must be a positive number of instructions");
            var path = parse.GetValue(file)!;
            try
            {
                var image = ElfImage.Load(path);
                return parse.GetValue(system)
                    ? RunSystem(image, chosen, steps, parse.GetValue(stats))
                    : RunUser(image, path, parse.GetValue(arguments) ?? [], chosen, steps, parse.GetValue(stats));
            }
            catch (EmulationError e)
            {
                throw new UserError(e.Message);
            }
        }));
        return command;
    }

    private static int RunUser(ElfImage image, string path, string[] arguments, Rv32Engine engine, long steps, bool stats)
    {
        using var input = Console.OpenStandardInput();
        using var output = Console.OpenStandardOutput();
        using var error = Console.OpenStandardError();
        var process = new LinuxProcess(image, [path, .. arguments], input, output, error, engine);
        var result = process.Run(steps);
        if (result.Message.Length > 0) Console.Error.WriteLine($"emulate: {result.Message}");
        if (stats)
        {
            Console.Error.WriteLine($"engine {engine.ToString().ToLowerInvariant()}: {result.Instructions:N0} instructions, {result.Cycles:N0} cycles, " +
                $"{result.BlocksTranslated:N0} blocks translated, {result.SystemCalls:N0} system calls ({LinuxSystemCalls.Describe(process.SystemCalls)})");
        }
        return result.ExitCode;
    }

    private static int RunSystem(ElfImage image, Rv32Engine engine, long steps, bool stats)
    {
        var system = new Rv32System(image, engine);
        var result = system.Run(steps);
        Console.Out.Write(result.Console);
        Console.Out.Flush();
        Console.Error.WriteLine($"emulate: {result.Message}");
        if (stats)
        {
            var state = system.Hart.State;
            Console.Error.WriteLine($"engine {engine.ToString().ToLowerInvariant()}: {state.Instructions:N0} instructions, {state.Cycles:N0} cycles, " +
                $"{system.Hart.Translator?.BlocksTranslated ?? 0:N0} blocks translated");
        }
        return result.ExitCode;
    }
}
