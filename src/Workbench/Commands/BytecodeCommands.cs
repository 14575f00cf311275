using System.CommandLine;
using System.Globalization;
using VirtualizationWorkbench.Bytecode.Compiler;
using VirtualizationWorkbench.Bytecode.Format;
using VirtualizationWorkbench.Bytecode.Host;
using VirtualizationWorkbench.Bytecode.MachinePlatform;
using VirtualizationWorkbench.Bytecode.Running;
using VirtualizationWorkbench.Bytecode.Rv32Platform;
using VirtualizationWorkbench.Bytecode.Verification;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Workbench.Commands;

/// <summary><c>bytecode compile|run|verify|disasm</c>: lab 04's application VM from the command line
/// (<c>curriculum/reference/bytecode.md</c>).</summary>
internal static class BytecodeCommands
{
    /// <summary>Exit code: a run-time error in the program (division by zero, bounds, stack overflow, heap).</summary>
    private const int RuntimeFailure = 1;

    /// <summary>Exit code: the step limit, as <c>workbench run</c>'s.</summary>
    private const int StepLimit = 3;

    public static Command Create() => new("bytecode", "The application VM: compile the workbench language to bytecode and run it on the host, on the machine or on the RV32 emulator")
    {
        Compile(),
        Run(),
        Verify(),
        Disassemble(),
    };

    private static Command Compile()
    {
        var file = new Argument<string>("file") { Description = "Source in the workbench language (.wl)" };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the bytecode (default: the source name with .vbc)" };
        var command = new Command("compile", "Compile a .wl source to a verified bytecode module (.vbc)") { file, output };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var module = CompileSource(path);
            var bytes = module.ToBytes();
            var target = parse.GetValue(output) ?? Path.ChangeExtension(path, ".vbc");
            AtomicFile.Write(target, stream => stream.Write(bytes));
            Console.Error.WriteLine($"{path}: {module.Functions.Count} functions, {bytes.Length} bytes -> {target}");
            return 0;
        });
        return command;
    }

    private static Command Run()
    {
        var file = new Argument<string>("file") { Description = "Bytecode (.vbc), or a .wl source to compile first" };
        var platform = new Option<string>("--platform") { Description = "host: the VM in C#; machine: the VM in VW32 assembly, a guest on the machine core; rv32: the VM in C, a RISC-V Linux program on the RV32 emulator", DefaultValueFactory = _ => "host" };
        platform.AcceptOnlyFromAmong("host", "machine", "rv32");
        var jit = new Option<bool>("--jit") { Description = "Compile hot functions (50 calls) to VW32 code (machine platform)" };
        var maxSteps = new Option<long>("--max-steps") { Description = "Stop with an error after this many bytecode instructions", DefaultValueFactory = _ => VmLimits.DefaultMaxSteps };
        var stats = new Option<bool>("--stats") { Description = "Print steps, and on the machine virtual cycles and instructions (on rv32: RV32 instructions), to standard error" };
        var command = new Command("run", "Run a bytecode program; its output goes to standard output") { file, platform, jit, maxSteps, stats };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var steps = parse.GetValue(maxSteps);
            if (steps <= 0) throw new UserError("--max-steps must be a positive number of bytecode instructions");
            var onMachine = parse.GetValue(platform) == "machine";
            var onRv32 = parse.GetValue(platform) == "rv32";
            if (parse.GetValue(jit) && !onMachine) throw new UserError("--jit compiles to VW32 code: use it with --platform machine");
            if (onMachine && steps > MachineVm.MaxSteps) throw new UserError($"--max-steps: the machine platform counts at most {MachineVm.MaxSteps:N0} steps");
            var (module, bytes) = Load(path);
            var stdout = Console.OpenStandardOutput();
            var machine = onMachine ? new MachineVm(module, bytes) : null;
            var run = machine is not null ? machine.Run(steps, stdout, parse.GetValue(jit))
                : onRv32 ? new Rv32Vm(bytes).Run(steps, stdout)
                : new HostVm(module).Run(steps, stdout);
            if (parse.GetValue(stats))
            {
                Console.Error.WriteLine($"steps                {run.Steps,16:N0}");
                if (machine is not null)
                {
                    Console.Error.WriteLine($"cycles               {run.Cycles,16:N0}");
                    Console.Error.WriteLine($"machine instructions {run.MachineInstructions,16:N0}");
                    if (parse.GetValue(jit)) Console.Error.WriteLine($"compiled             {(machine.CompiledFunctions.Count == 0 ? "(none)" : string.Join(", ", machine.CompiledFunctions))}");
                }
                if (onRv32) Console.Error.WriteLine($"rv32 instructions    {run.MachineInstructions,16:N0}");
            }
            if (run.Error is { } error)
            {
                Console.Error.WriteLine($"error: {error.Describe(module)}");
                return error.Kind == RuntimeErrorKind.StepLimit ? StepLimit : RuntimeFailure;
            }
            return 0;
        });
        return command;
    }

    private static Command Verify()
    {
        var file = new Argument<string>("file") { Description = "Bytecode (.vbc)" };
        var command = new Command("verify", "Check a bytecode module as the VM does before running it") { file };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var (module, bytes) = Load(path);
            Console.WriteLine($"{path}: verified: {module.Functions.Count} functions, {bytes.Length} bytes");
            return 0;
        });
        return command;
    }

    private static Command Disassemble()
    {
        var file = new Argument<string>("file") { Description = "Bytecode (.vbc), or a .wl source" };
        var command = new Command("disasm", "List a bytecode module's functions and instructions (unverified modules too)") { file };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var module = IsSource(path) ? CompileSource(path) : Parse(path, Read(path));
            Console.Write(BytecodeListing.Of(module));
            return 0;
        });
        return command;
    }

    private static bool IsSource(string path) => string.Equals(Path.GetExtension(path), ".wl", StringComparison.OrdinalIgnoreCase);

    private static byte[] Read(string path) => File.Exists(path) ? File.ReadAllBytes(path) : throw new UserError($"{path}: no such file");

    private static BytecodeModule CompileSource(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: no such file");
        try
        {
            return WlCompiler.Compile(File.ReadAllText(path), path);
        }
        catch (CompileException e)
        {
            // As `workbench asm` reports: every error with its line and caret, then one summary line.
            foreach (var diagnostic in e.Diagnostics) Console.Error.WriteLine(diagnostic);
            throw new UserError($"{path}: {e.Diagnostics.Count} error{(e.Diagnostics.Count == 1 ? "" : "s")}; nothing was written", exitCode: 1);
        }
    }

    private static BytecodeModule Parse(string path, byte[] bytes)
    {
        try
        {
            return BytecodeModule.Parse(bytes);
        }
        catch (BytecodeFormatException e)
        {
            throw new UserError($"{path}: {e.Message}");
        }
    }

    // The class loader: parse, then verify; nothing runs before both pass.
    private static (BytecodeModule Module, byte[] Bytes) Load(string path)
    {
        byte[] bytes;
        BytecodeModule module;
        if (IsSource(path))
        {
            module = CompileSource(path);
            bytes = module.ToBytes();
        }
        else
        {
            bytes = Read(path);
            module = Parse(path, bytes);
        }
        try
        {
            Verifier.Verify(module);
        }
        catch (VerifyException e)
        {
            throw new UserError($"{path}: {e.Message}");
        }
        if (bytes.Length > MachineVm.MaxModuleBytes) throw new UserError($"{path}: {bytes.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes; at most {MachineVm.MaxModuleBytes:N0}");
        return (module, bytes);
    }
}
