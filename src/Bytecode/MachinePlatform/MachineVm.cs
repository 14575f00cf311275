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

    /// <summary>Where the JIT puts compiled code (up to 5 MiB, above the heap).</summary>
    public const uint CodeCache = 0x00A0_0000;

    /// <summary>The end of the code cache.</summary>
    public const uint CodeCacheEnd = 0x00F0_0000;

    /// <summary>The hypercall the guest VM makes when a function turns hot: r1 = the function.</summary>
    public const uint CompileHypercall = 1;

    private static readonly Lazy<ProgramImage> GuestVm = new(() => Assembler.AssembleText(Source, "bytecode-vm.s"));
    private static readonly Lazy<ProgramImage> GuestVmWithJit = new(() => Assembler.AssembleText(Source, "bytecode-vm.s", new AssemblerOptions { Defines = ["JIT"] }));

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

    /// <summary>Functions the JIT compiled in the last run, in order.</summary>
    public IReadOnlyList<string> CompiledFunctions { get; private set; } = [];

    /// <summary>Runs the module's entry function on a fresh machine, within <paramref name="maxSteps"/> bytecode
    /// instructions; output goes to <paramref name="output"/> as the guest prints it, and into the result. With
    /// <paramref name="jit"/>, functions called <c>JIT_THRESHOLD</c> (50) times are compiled to VW32 code
    /// (<see cref="TemplateJit"/>); the translation is charged <see cref="Machine.Costs.CostTable.TranslateInstruction"/>
    /// cycles per bytecode instruction, as the binary translator's is, plus a host exit.</summary>
    public VmRun Run(long maxSteps = VmLimits.DefaultMaxSteps, Stream? output = null, bool jit = false)
    {
        if (maxSteps is < 0 or > MaxSteps) throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, $"the machine platform counts at most {MaxSteps:N0} steps");
        var computer = new Computer(new MachineConfiguration());
        var program = jit ? GuestVmWithJit.Value : GuestVm.Value;
        computer.Load(program);
        var compiler = jit ? new TemplateJit(module, program.Symbols) : null;
        var cache = CodeCache;
        var compiledNames = new List<string>();
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
            if (exit.Reason == ExitReason.Hypercall && compiler is not null && exit.HypercallNumber == CompileHypercall)
            {
                Compile(compiler, (int)core.State.R[1]);
                continue;
            }
            if (exit.Reason != ExitReason.Halt) throw new InvalidOperationException($"the guest VM stopped unexpectedly: {exit}");
            break;
        }
        output?.Flush();
        CompiledFunctions = compiledNames;
        var r = core.State.R;
        var counters = core.Counters;
        var stepsLeft = (int)r[13];
        if (r[0] == 0)
        {
            return new VmRun(printed.ToArray(), (int)r[5], null, maxSteps - stepsLeft, counters.Cycles, counters.Instructions);
        }
        var kind = (RuntimeErrorKind)r[0];
        // Only the fields the kind defines: the others are whatever the registers held.
        var value = kind switch
        {
            RuntimeErrorKind.StepLimit => maxSteps,
            RuntimeErrorKind.IndexOutOfBounds or RuntimeErrorKind.NegativeArraySize or RuntimeErrorKind.OutOfMemory => (int)r[3],
            _ => 0,
        };
        var error = new RuntimeError(kind, (int)r[1], (int)r[2], value, kind == RuntimeErrorKind.IndexOutOfBounds ? (int)r[4] : 0);
        var steps = kind == RuntimeErrorKind.StepLimit ? maxSteps : maxSteps - stepsLeft;
        return new VmRun(printed.ToArray(), 0, error, steps, counters.Cycles, counters.Instructions);

        void Compile(TemplateJit jit, int function)
        {
            var before = jit.TranslatedInstructions;
            var (source, functions) = jit.Translate(function, cache);
            var image = Assembler.AssembleText(source, "jit.s");
            foreach (var segment in image.Segments)
            {
                if (segment.Address + (uint)segment.Bytes.Length > CodeCacheEnd) throw new InvalidOperationException("the JIT's code cache is full");
                computer.Memory.Write(segment.Address, segment.Bytes);
                cache = Math.Max(cache, (segment.Address + (uint)segment.Bytes.Length + 15) & ~15u);
            }
            var table = program.Symbols["compiled"];
            foreach (var f in functions)
            {
                var address = image.Symbols[$"jf{f}"];
                jit.Placed(f, address);
                computer.Memory.WriteWord(table + 4 * (uint)f, address);
                compiledNames.Add(module.Functions[f].Name);
            }
            var costs = computer.Configuration.Costs;
            core.Charge(costs.HostExit + (ulong)(jit.TranslatedInstructions - before) * costs.TranslateInstruction);
        }
    }
}
