using VirtualizationWorkbench.Bytecode.Format;
using VirtualizationWorkbench.Bytecode.Running;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Bytecode.MachinePlatform;

/// <summary>
/// The machine platform: the bytecode VM written in VW32 assembly (<c>bytecode-vm.s</c>, carried inside this
/// assembly) runs as a guest program on a fresh machine core, and the <c>.vbc</c> file's bytes are copied
/// unchanged into the guest's memory for it to interpret. Output is what the guest printed on its console; the
/// cost is the machine's virtual cycles.
/// </summary>
public sealed class MachineVm
{
    /// <summary>Where the guest VM expects the module (the <c>MODULE</c> constant of the assembly).</summary>
    public const uint ModuleAddress = 0x0010_0000;

    /// <summary>The largest <c>.vbc</c> file the guest VM has room for.</summary>
    public const int MaxModuleBytes = 2 * 1024 * 1024;

    /// <summary>The most steps the guest VM counts (its counter is a signed 32-bit register).</summary>
    public const long MaxSteps = int.MaxValue;

    private static readonly Lazy<ProgramImage> GuestVm = new(() => Assembler.AssembleText(Source, "bytecode-vm.s"));

    private readonly BytecodeModule module;
    private readonly byte[] file;

    /// <summary>A VM for the verified <paramref name="module"/>, whose file bytes are <paramref name="file"/>.</summary>
    public MachineVm(BytecodeModule module, byte[] file)
    {
        if (file.Length > MaxModuleBytes) throw new ArgumentException($"the module is {file.Length} bytes; the machine platform's VM holds at most {MaxModuleBytes}");
        this.module = module;
        this.file = file;
    }

    /// <summary>The guest VM's source text.</summary>
    public static string Source
    {
        get
        {
            using var stream = typeof(MachineVm).Assembly.GetManifestResourceStream("bytecode-vm.s")!;
            return new StreamReader(stream).ReadToEnd();
        }
    }

    /// <summary>Runs the module's entry function on a fresh machine, within <paramref name="maxSteps"/> bytecode
    /// instructions; output goes to <paramref name="output"/> as the guest prints it, and into the result.</summary>
    public VmRun Run(long maxSteps = VmLimits.DefaultMaxSteps, Stream? output = null)
    {
        if (maxSteps is < 0 or > MaxSteps) throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, $"the machine platform counts at most {MaxSteps:N0} steps");
        var computer = new Computer(new MachineConfiguration());
        var program = GuestVm.Value;
        computer.Load(program);
        computer.Memory.Write(ModuleAddress, file);
        computer.Memory.WriteWord(program.Symbols["max_steps"], (uint)maxSteps);
        var core = computer.Cores[0];
        var printed = new MemoryStream();
        while (true)
        {
            var exit = computer.Run(1_000_000);
            var bytes = computer.Console.Drain();
            printed.Write(bytes);
            output?.Write(bytes);
            if (exit.Reason == ExitReason.BudgetSpent) continue;
            if (exit.Reason != ExitReason.Halt) throw new InvalidOperationException($"the guest VM stopped unexpectedly: {exit}");
            break;
        }
        output?.Flush();
        var r = core.State.R;
        var counters = core.Counters;
        var stepsLeft = (int)r[13];
        if (r[0] == 0)
        {
            return new VmRun(printed.ToArray(), (int)r[5], null, maxSteps - stepsLeft, counters.Cycles, counters.Instructions);
        }
        var kind = (RuntimeErrorKind)r[0];
        var error = new RuntimeError(kind, (int)r[1], (int)r[2], kind == RuntimeErrorKind.StepLimit ? maxSteps : (int)r[3], (int)r[4]);
        var steps = kind == RuntimeErrorKind.StepLimit ? maxSteps : maxSteps - stepsLeft;
        return new VmRun(printed.ToArray(), 0, error, steps, counters.Cycles, counters.Instructions);
    }
}
