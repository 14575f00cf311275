using System.Text;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Memory;
using VirtualizationWorkbench.Partitioning.Memory;
using VirtualizationWorkbench.Partitioning.Memory.Sharing;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Partitioning;

/// <summary>Where a partition is in its life.</summary>
public enum PartitionState
{
    /// <summary>Its cores are dispatched.</summary>
    Running,
    /// <summary>Every core executed <c>hlt</c>.</summary>
    Halted,
    /// <summary>Stopped by the firmware for crossing its boundary (see <see cref="LogicalPartition.Fault"/>).</summary>
    Faulted,
    /// <summary>Suspended by the firmware (the last phase of a migration): its state is kept, nothing runs.</summary>
    Suspended,
    /// <summary>Reserved on a migration's target, not yet resumed.</summary>
    Reserved,
    /// <summary>Moved to another machine; its resources here are freed.</summary>
    Moved,
}

/// <summary>One core given to a partition, with the control structure its guest runs under.</summary>
public sealed class PartitionCore(Core core)
{
    /// <summary>The machine's core: for a micro-partition's virtual processor, the shared pool's core it was last
    /// dispatched on (the dispatcher moves it from core to core).</summary>
    public Core Core { get; internal set; } = core;

    /// <summary>Its control structure (guest state while the partition is out of the core).</summary>
    public VirtualMachineControl Control { get; } = new();

    /// <summary>Whether the guest halted this core.</summary>
    public bool Halted { get; internal set; }

    /// <summary>The guest's processor state now, wherever it is (in the core while it runs in non-root mode).</summary>
    public CpuState GuestState => Core.InGuestMode ? Core.State : Control.Guest;
}

/// <summary>Where a partition's missing logical pages come from: pages fetched on demand after a hybrid
/// migration resumed early, or compressed pages of Active Memory Expansion.</summary>
public interface IMissingPages
{
    /// <summary>Makes logical page <paramref name="page"/> of <paramref name="partition"/> present (charging
    /// <paramref name="core"/> what it costs) and returns true, or returns false if the page does not exist.</summary>
    bool BringIn(LogicalPartition partition, int page, Core core);
}

/// <summary>
/// A logical partition: a name, a profile, the cores and memory blocks the firmware gave it, its nested page table,
/// its own virtual terminal, and what the firmware tracks for it (dirty pages, a pending DLPAR change).
/// </summary>
public sealed class LogicalPartition
{
    private readonly StringBuilder console = new();
    internal readonly List<int> BlockList = [];
    internal readonly List<PartitionCore> CoreList = [];
    internal readonly List<IVirtualDevice> VirtualDeviceList = [];

    internal LogicalPartition(int id, PartitionProfile profile, PartitionPageTable table)
    {
        Id = id;
        Profile = profile;
        Table = table;
        Dirty = new bool[PartitionPageTable.MaxPages];
    }

    /// <summary>The partition's number on its machine (from 1).</summary>
    public int Id { get; }

    /// <summary>The profile it was activated with.</summary>
    public PartitionProfile Profile { get; }

    /// <summary>Its name.</summary>
    public string Name => Profile.Name;

    /// <summary>Its state.</summary>
    public PartitionState State { get; internal set; }

    /// <summary>Why the firmware stopped it, when <see cref="State"/> is <see cref="PartitionState.Faulted"/>.</summary>
    public string? Fault { get; internal set; }

    /// <summary>Its nested page table.</summary>
    public PartitionPageTable Table { get; }

    /// <summary>The machine blocks of its memory, in logical order (logical block i is machine block Blocks[i]).</summary>
    public IReadOnlyList<int> Blocks => BlockList;

    /// <summary>Its cores.</summary>
    public IReadOnlyList<PartitionCore> Cores => CoreList;

    /// <summary>The virtual devices the firmware serves it (<see cref="PartitionFirmware.Attach"/>).</summary>
    public IReadOnlyList<IVirtualDevice> VirtualDevices => VirtualDeviceList;

    /// <summary>The virtual device at <paramref name="port"/>, or null.</summary>
    internal IVirtualDevice? VirtualDeviceAt(uint port) => VirtualDeviceList.FirstOrDefault(d => port - d.Ports.First < d.Ports.Count);

    /// <summary>Its memory in bytes (logical addresses 0 to MemorySize - 1).</summary>
    public uint MemorySize => (uint)Pages * MemoryMap.PageSize;

    /// <summary>Its memory in pages (its logical memory, in shared memory mode).</summary>
    public int Pages => Sharing?.LogicalPages ?? Expansion?.LogicalPages ?? BlockList.Count * PartitionFirmware.PagesPerBlock;

    /// <summary>Its micro-partitioning (entitlement, capped or uncapped, weight; its virtual processors are
    /// <see cref="Cores"/>), or null for a partition with dedicated cores.</summary>
    public Processors.SharedPartition? Processing { get; internal set; }

    /// <summary>Cycles the <see cref="Processors.ProcessorDispatcher"/> dispatched its virtual processors for, on the
    /// shared pool's cores (a micro-partition's consumed capacity; the entries into the guest included).</summary>
    public ulong DispatchedCycles { get; internal set; }

    /// <summary>Its shared memory mode (Active Memory Sharing), or null for a partition with dedicated memory blocks.</summary>
    public SharedMemoryPartition? Sharing { get; internal set; }

    /// <summary>Its Active Memory Expansion, or null: its blocks are then its memory, page for page.</summary>
    public ActiveMemoryExpansion? Expansion { get; internal set; }

    /// <summary>Whether the firmware moves its pages in and out of machine memory (shared memory mode, memory
    /// expansion): its cores then set accessed and dirty bits in its nested page table.</summary>
    internal bool PagedByFirmware => Sharing is not null || Expansion is not null;

    /// <summary>The program it booted (its symbols name the guest's entry points and parameters).</summary>
    public ProgramImage? Program { get; internal set; }

    /// <summary>What its guest printed on its virtual terminal.</summary>
    public string Console => console.ToString();

    internal void Print(char c) => console.Append(c);

    internal void PrintText(string text) => console.Append(text);

    /// <summary>The dirty bitmap, one flag per logical page: set by the first write to a write-protected page
    /// while <see cref="DirtyLogging"/> is on.</summary>
    public bool[] Dirty { get; }

    /// <summary>Whether writes are being tracked.</summary>
    public bool DirtyLogging { get; internal set; }

    /// <summary>Write faults taken for dirty tracking.</summary>
    public long DirtyFaults { get; internal set; }

    /// <summary>Where missing pages come from, if anywhere.</summary>
    public IMissingPages? MissingPages { get; internal set; }

    /// <summary>Pages made present by <see cref="MissingPages"/>.</summary>
    public long MissingPageFaults { get; internal set; }

    /// <summary>A DLPAR change the guest has been told about and has not confirmed: the memory (bytes) and cores it
    /// is to have.</summary>
    internal (uint Memory, int Cores)? Request { get; set; }

    /// <summary>The memory the guest said it uses, at its last <c>H_DLPAR_DONE</c>.</summary>
    internal uint? Released { get; set; }

    /// <summary>The number of <c>H_DLPAR_DONE</c> calls, so a caller can wait for the next one.</summary>
    public int Confirmations { get; internal set; }

    /// <summary>Machine cycles of the partition's first core: its clock (see <see cref="VirtualClock"/>). A
    /// micro-partition's processors share the pool's cores with others, so its clock is the cycles they were
    /// dispatched for.</summary>
    public ulong Cycles => Processing is not null ? DispatchedCycles : CoreList.Count > 0 ? CoreList[0].Core.Counters.Cycles : 0;
}
