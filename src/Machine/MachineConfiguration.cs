using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Devices;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Machine;

/// <summary>How to build a <see cref="Computer"/>. Immutable; vary it with <c>with</c>.</summary>
public sealed record MachineConfiguration
{
    /// <summary>RAM in bytes, a multiple of 4 KiB (default 16 MiB).</summary>
    public uint MemorySize { get; init; } = MemoryMap.DefaultMemorySize;

    /// <summary>How every core executes guest code (default the translator, after its warm-up; the interpreter is
    /// the reference); see <see cref="Cpu.ExecutionEngine"/>. Both engines give the same results and counters.</summary>
    public Cpu.ExecutionEngine Engine { get; init; } = Cpu.ExecutionEngine.Translator;

    /// <summary>Number of cores sharing the memory (1-16).</summary>
    public int Cores { get; init; } = 1;

    /// <summary>The cost table charging every core.</summary>
    public CostTable Costs { get; init; } = CostTable.Default;

    /// <summary>Instructions each core runs in its turn when <see cref="Computer.Run"/> steps several cores.
    /// Round-robin in core order, so multi-core runs are deterministic.</summary>
    public int Quantum { get; init; } = 1000;

    /// <summary>Disk capacity in sectors when no disk store is given (default 2048 = 1 MiB).</summary>
    public uint DiskSectors { get; init; } = 2048;

    /// <summary>The disk's store (a file stream, say); null for a zeroed in-memory disk.</summary>
    public Stream? DiskStore { get; init; }

    /// <summary>Any block store behind the disk instead (a logical volume, say); wins over
    /// <see cref="DiskStore"/>.</summary>
    public IBlockStore? DiskBlocks { get; init; }
}
