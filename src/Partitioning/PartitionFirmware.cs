using System.Security.Cryptography;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Memory;
using VirtualizationWorkbench.Machine.Virtualization;
using VirtualizationWorkbench.Partitioning.Memory;
using VirtualizationWorkbench.Partitioning.Memory.Sharing;
using VirtualizationWorkbench.Partitioning.Processors;

namespace VirtualizationWorkbench.Partitioning;

/// <summary>
/// The partition firmware: the POWER Hypervisor's role on the workbench machine. It divides the machine's cores,
/// memory blocks and devices into logical partitions, boots each partition's guest in non-root mode on its own
/// cores with a nested page table that maps exactly the partition's blocks, serves each partition's virtual
/// terminal and its calls (<see cref="FirmwareCall"/>), and stops a partition that reaches outside its boundary:
/// the hardware (nested paging, the I/O bitmap, interrupt routing) catches the access before anything outside the
/// partition changes.
/// <code>
///   machine RAM, in blocks of 64 KiB (a scaled-down logical memory block; AIX's is 256 MB)
///   block 0            the firmware's: nested page tables, two pages per partition (at most 8 partitions)
///   block 1 .. n-1     partitions' memory, the shared memory pool, or the free pool
/// </code>
/// A partition in shared memory mode (Active Memory Sharing) has no blocks of its own: its pages live in frames of
/// the <see cref="SharedMemoryPool"/> while resident, and the firmware pages them in on the guest's nested page
/// faults.
/// </summary>
public sealed class PartitionFirmware
{
    /// <summary>Size of a memory block, the unit memory is given and taken in.</summary>
    public const uint BlockSize = 64 * 1024;

    /// <summary>Pages in a block.</summary>
    public const int PagesPerBlock = (int)(BlockSize / MemoryMap.PageSize);

    /// <summary>Blocks the firmware keeps for itself, from block 0.</summary>
    public const int FirmwareBlocks = 1;

    /// <summary>Where every partition's guest starts its stack (the top of its first block).</summary>
    public const uint StackTop = BlockSize;

    /// <summary>Instructions a core runs before the firmware dispatches the next one (round-robin, in
    /// partition and core order, so runs are deterministic).</summary>
    public const int Quantum = 1000;

    private const int Slots = (int)(FirmwareBlocks * BlockSize / (2 * MemoryMap.PageSize));

    private readonly LogicalPartition?[] blockOwner;
    private readonly bool[] pooled;
    private readonly LogicalPartition?[] coreOwner;
    private readonly bool[] pooledCores;
    private readonly LogicalPartition?[] slotOwner = new LogicalPartition?[Slots];
    private readonly Dictionary<string, LogicalPartition> deviceOwner = [];
    private readonly List<LogicalPartition> partitions = [];
    private int nextId = 1;

    /// <summary>A firmware on a new machine built from <paramref name="configuration"/>.</summary>
    public PartitionFirmware(MachineConfiguration configuration) : this(new Computer(configuration))
    {
    }

    /// <summary>The firmware of <paramref name="machine"/> (at least two blocks of memory).</summary>
    public PartitionFirmware(Computer machine)
    {
        if (machine.Memory.Size < 2 * BlockSize)
        {
            throw new PartitionError($"a partitioned machine needs at least {2 * BlockSize / 1024} KiB of memory, not {machine.Memory.Size / 1024} KiB");
        }
        Machine = machine;
        blockOwner = new LogicalPartition?[machine.Memory.Size / BlockSize];
        pooled = new bool[blockOwner.Length];
        coreOwner = new LogicalPartition?[machine.Cores.Count];
        pooledCores = new bool[machine.Cores.Count];
    }

    /// <summary>The machine.</summary>
    public Computer Machine { get; }

    /// <summary>All blocks of the machine, the firmware's included.</summary>
    public int TotalBlocks => blockOwner.Length;

    /// <summary>Blocks partitions can have.</summary>
    public int PartitionBlocks => blockOwner.Length - FirmwareBlocks;

    /// <summary>Blocks in the free pool.</summary>
    public int FreeBlocks => Enumerable.Range(FirmwareBlocks, PartitionBlocks).Count(IsFree);

    /// <summary>The shared memory pool, once <see cref="CreateSharedMemoryPool"/> made it.</summary>
    public SharedMemoryPool? SharedPool { get; private set; }

    /// <summary>The shared processor pool's dispatcher, once <see cref="CreateSharedProcessorPool"/> made it.</summary>
    public ProcessorDispatcher? ProcessorPool { get; private set; }

    /// <summary>Cores in the free pool (neither a partition's nor the shared processor pool's).</summary>
    public int FreeCores => Enumerable.Range(0, coreOwner.Length).Count(IsFreeCore);

    /// <summary>The partitions, in activation order (moved ones are gone).</summary>
    public IReadOnlyList<LogicalPartition> Partitions => partitions;

    /// <summary>The partition named <paramref name="name"/>.</summary>
    public LogicalPartition Find(string name) =>
        partitions.FirstOrDefault(p => p.Name == name) ?? throw new PartitionError($"no partition named '{name}' (partitions: {string.Join(", ", partitions.Select(p => p.Name))})");

    /// <summary>The partition that owns machine block <paramref name="block"/>, or null if it is free or the firmware's.</summary>
    public LogicalPartition? OwnerOfBlock(int block) => blockOwner[block];

    /// <summary>
    /// Creates a partition from <paramref name="profile"/> with its desired cores and memory, loads
    /// <paramref name="program"/> into its memory and starts its first core at the program's entry (the others at
    /// its <c>secondary</c> label, or halted). Throws <see cref="PartitionError"/>, changing nothing, if the machine
    /// cannot satisfy the profile.
    /// </summary>
    public LogicalPartition Activate(PartitionProfile profile, ProgramImage program)
    {
        var partition = Create(profile, profile.DesiredBlocks, profile.DesiredCores);
        return Started(partition, program, () => { });
    }

    // Sets the new partition up and boots it; if either fails, releases it, so that nothing is left changed.
    private LogicalPartition Started(LogicalPartition partition, ProgramImage program, Action setUp)
    {
        try
        {
            setUp();
            Boot(partition, program);
        }
        catch (PartitionError)
        {
            Release(partition);
            throw;
        }
        return partition;
    }

    /// <summary>
    /// Sets <paramref name="cores"/> free cores apart as the machine's shared processor pool, dispatched in windows
    /// of <paramref name="windowCycles"/> cycles (POWER's 10 ms by default). Throws <see cref="PartitionError"/>,
    /// changing nothing, if there is a pool already or not enough free cores.
    /// </summary>
    public ProcessorDispatcher CreateSharedProcessorPool(int cores, ulong windowCycles = ProcessorDispatcher.DefaultWindowCycles)
    {
        if (ProcessorPool is not null) throw new PartitionError($"the machine has a shared processor pool already ({ProcessorPool.Cores.Count} cores); this model has one");
        var pool = new SharedProcessorPool(cores);
        var chosen = Enumerable.Range(0, coreOwner.Length).Where(IsFreeCore).Take(cores).ToList();
        if (chosen.Count < cores) throw new PartitionError($"shared processor pool: {cores} cores wanted, {FreeCores} free (of {coreOwner.Length}); ask for fewer or free some");
        var dispatcher = new ProcessorDispatcher(this, pool, [.. chosen.Select(c => Machine.Cores[c])], windowCycles);
        foreach (var core in chosen) pooledCores[core] = true;
        return ProcessorPool = dispatcher;
    }

    /// <summary>
    /// Activates a micro-partition: <paramref name="profile"/>'s desired cores become its virtual processors, which
    /// the <see cref="ProcessorPool"/> dispatches on its cores, each dispatch window giving the partition its
    /// <paramref name="entitlement"/> (processing units, 0.10 up in steps of 0.01) and, if it is not
    /// <paramref name="capped"/>, a share of the spare capacity by <paramref name="weight"/> (0 to 255). Throws
    /// <see cref="PartitionError"/>, changing nothing, if there is no pool, the entitlements would exceed it, or the
    /// profile cannot be satisfied.
    /// </summary>
    public LogicalPartition ActivateMicroPartition(PartitionProfile profile, ProgramImage program, double entitlement, bool capped, int weight = 128)
    {
        var dispatcher = ProcessorPool ?? throw new PartitionError($"profile '{profile.Name}': a micro-partition runs on the shared processor pool; create it first");
        var processing = new SharedPartition(profile.Name, entitlement, profile.DesiredCores, capped, weight, profile.DesiredCores);
        dispatcher.Admit(processing);
        var partition = Create(profile, profile.DesiredBlocks, 0);
        return Started(partition, program, () =>
        {
            partition.Processing = processing;
            // Each virtual processor waits on the pool's first core until the dispatcher places it.
            for (var i = 0; i < profile.DesiredCores; i++) AddProcessor(partition, dispatcher.Cores[0]);
        });
    }

    /// <summary>
    /// Sets <paramref name="blocks"/> free blocks apart as the machine's shared memory pool (one per machine, as on
    /// PowerVM), its overflow paged to <paramref name="device"/>. Throws <see cref="PartitionError"/>, changing
    /// nothing, if there is a pool already or not enough free blocks.
    /// </summary>
    public SharedMemoryPool CreateSharedMemoryPool(int blocks, IPagingDevice device)
    {
        if (SharedPool is not null) throw new PartitionError($"the machine has a shared memory pool already ({SharedPool.Blocks.Count} blocks); a machine has one");
        if (blocks < 1) throw new PartitionError($"shared memory pool: at least 1 block, not {blocks}");
        var chosen = Enumerable.Range(FirmwareBlocks, PartitionBlocks).Where(IsFree).Take(blocks).ToList();
        if (chosen.Count < blocks) throw new PartitionError($"shared memory pool: {blocks} blocks wanted, {FreeBlocks} free (of {PartitionBlocks}); ask for fewer or free some");
        foreach (var block in chosen) pooled[block] = true;
        return SharedPool = new SharedMemoryPool(Machine.Memory, chosen, device);
    }

    /// <summary>
    /// Activates a partition in shared memory mode: <paramref name="profile"/>'s desired blocks are its logical
    /// memory (up to 4 MiB, even more than the pool or the machine has), none of it reserved; its pages come from the
    /// shared memory pool as the guest touches them. It gets its <see cref="SharedMemoryPartition.Disk"/> at the disk's
    /// ports. Throws <see cref="PartitionError"/>, changing nothing, if there is no pool or the profile cannot be
    /// satisfied.
    /// </summary>
    public LogicalPartition ActivateShared(PartitionProfile profile, ProgramImage program, int weight, LoanPolicy policy)
    {
        var pool = SharedPool ?? throw new PartitionError($"profile '{profile.Name}': shared memory mode needs the machine's shared memory pool; create it first");
        if (profile.FirstBlock is not null) throw new PartitionError($"profile '{profile.Name}': a shared-memory partition has no blocks of its own, so no first block");
        var partition = Create(profile, 0, profile.DesiredCores, logicalBlocks: PartitionPageTable.MaxPages / PagesPerBlock);
        return Started(partition, program, () =>
        {
            partition.Sharing = pool.Join(partition, profile.DesiredBlocks * PagesPerBlock, weight, policy);
            partition.MissingPages = partition.Sharing;
            // Its files live on a disk the VIOS serves it (a shared-memory partition has virtual I/O only).
            Attach(partition, partition.Sharing.Disk);
            TrackUse(partition);
        });
    }

    /// <summary>
    /// Activates a partition with Active Memory Expansion: <paramref name="profile"/>'s desired blocks are its true
    /// memory, of which <paramref name="compressedBlocks"/> are set apart for the compressed pool and the rest is the
    /// uncompressed pool; its guest is told it has the true memory times <paramref name="factor"/> (1.00 to 10.00, in
    /// steps of 0.01, as the HMC takes it; at most 4 MiB). Throws <see cref="PartitionError"/>, changing nothing, if
    /// the machine cannot satisfy the profile or the numbers are out of range.
    /// </summary>
    public LogicalPartition ActivateExpanded(PartitionProfile profile, ProgramImage program, double factor, int compressedBlocks, ExpansionCosts? costs = null)
    {
        var where = $"profile '{profile.Name}': active memory expansion";
        if (factor is < 1 or > ActiveMemoryExpansion.MaxFactor || Math.Abs(factor * 100 - Math.Round(factor * 100)) > 1e-9)
        {
            throw new PartitionError($"{where}: the expansion factor is 1.00 to {ActiveMemoryExpansion.MaxFactor:F2} in steps of 0.01, not {factor}");
        }
        if (compressedBlocks < 1 || compressedBlocks >= profile.DesiredBlocks)
        {
            throw new PartitionError($"{where}: the compressed pool takes 1 to {profile.DesiredBlocks - 1} of its {profile.DesiredBlocks} blocks (the rest is the uncompressed pool), not {compressedBlocks}");
        }
        var logicalPages = (int)Math.Floor(profile.DesiredBlocks * PagesPerBlock * factor + 1e-9);
        if (logicalPages > PartitionPageTable.MaxPages)
        {
            throw new PartitionError($"{where}: {profile.DesiredBlocks} blocks × {factor:F2} is {logicalPages} pages, more than the {PartitionPageTable.MaxPages} (4 MiB) a partition can have; lower the factor or the blocks");
        }
        var partition = Create(profile, profile.DesiredBlocks, profile.DesiredCores);
        return Started(partition, program, () =>
        {
            partition.Expansion = new ActiveMemoryExpansion(Machine.Memory, partition, profile.DesiredBlocks - compressedBlocks, logicalPages, costs);
            partition.MissingPages = partition.Expansion;
            TrackUse(partition);
        });
    }

    /// <summary>Creates a partition with <paramref name="blocks"/> blocks and <paramref name="cores"/> cores, not
    /// running: how a migration's target reserves resources.</summary>
    internal LogicalPartition Create(PartitionProfile profile, int blocks, int cores, int? logicalBlocks = null)
    {
        profile.Validate(Machine.Cores.Count, logicalBlocks ?? PartitionBlocks);
        if (partitions.Any(p => p.Name == profile.Name)) throw new PartitionError($"a partition named '{profile.Name}' exists already; choose another name");
        var chosen = ChooseBlocks(profile, blocks);
        var freeCores = Enumerable.Range(0, coreOwner.Length).Where(IsFreeCore).ToList();
        if (freeCores.Count < cores)
        {
            throw new PartitionError($"profile '{profile.Name}': {cores} cores wanted, {freeCores.Count} free (of {coreOwner.Length}); lower the desired cores or free some");
        }
        foreach (var device in profile.Devices)
        {
            if (deviceOwner.TryGetValue(device, out var owner)) throw new PartitionError($"profile '{profile.Name}': the {device} belongs to partition '{owner.Name}' already");
        }
        var slot = Array.IndexOf(slotOwner, null);
        if (slot < 0) throw new PartitionError($"the firmware's memory holds the tables of {Slots} partitions at most; remove one first");

        var table = new PartitionPageTable(Machine.Memory, (uint)slot * 2 * MemoryMap.PageSize);
        var partition = new LogicalPartition(nextId++, profile, table) { State = PartitionState.Reserved };
        slotOwner[slot] = partition;
        foreach (var block in chosen) AddBlock(partition, block);
        foreach (var core in freeCores.Take(cores)) AddCore(partition, core);
        foreach (var device in profile.Devices) deviceOwner[device] = partition;
        partitions.Add(partition);
        return partition;
    }

    private List<int> ChooseBlocks(PartitionProfile profile, int blocks)
    {
        if (profile.FirstBlock is { } first)
        {
            var range = Enumerable.Range(first, blocks).ToList();
            var taken = range.Where(b => !IsFree(b)).ToList();
            if (taken.Any(b => pooled[b])) throw new PartitionError($"profile '{profile.Name}': blocks {first}-{first + blocks - 1} overlap the shared memory pool (blocks {string.Join(", ", SharedPool!.Blocks)}); choose free blocks");
            if (taken.Count > 0)
            {
                var owner = blockOwner[taken[0]]!;
                throw new PartitionError($"profile '{profile.Name}': blocks {first}-{first + blocks - 1} overlap partition '{owner.Name}' (it has blocks {string.Join(", ", owner.Blocks)}); partitions never share memory: choose free blocks");
            }
            return range;
        }
        var free = Enumerable.Range(FirmwareBlocks, PartitionBlocks).Where(IsFree).Take(blocks).ToList();
        if (free.Count < blocks)
        {
            throw new PartitionError($"profile '{profile.Name}': {blocks} memory blocks wanted, {FreeBlocks} free (of {PartitionBlocks}); lower the desired memory or free some");
        }
        return free;
    }

    /// <summary>Gives machine block <paramref name="block"/> to <paramref name="partition"/> as its next logical
    /// block, zeroed, and maps its pages.</summary>
    internal void AddBlock(LogicalPartition partition, int block)
    {
        blockOwner[block] = partition;
        var logical = partition.BlockList.Count;
        partition.BlockList.Add(block);
        var at = (uint)block * BlockSize;
        Machine.Memory.Slice(at, BlockSize).Clear();
        for (var i = 0; i < PagesPerBlock; i++)
        {
            partition.Table.Map(logical * PagesPerBlock + i, at + (uint)i * MemoryMap.PageSize);
        }
    }

    /// <summary>Takes the partition's last logical block away: unmapped, scrubbed, back in the free pool.</summary>
    internal int RemoveLastBlock(LogicalPartition partition)
    {
        var logical = partition.BlockList.Count - 1;
        var block = partition.BlockList[logical];
        for (var i = 0; i < PagesPerBlock; i++) partition.Table.Unmap(logical * PagesPerBlock + i);
        partition.BlockList.RemoveAt(logical);
        foreach (var core in partition.CoreList) core.Core.FlushTlb();
        Machine.Memory.Slice((uint)block * BlockSize, BlockSize).Clear();
        blockOwner[block] = null;
        return block;
    }

    /// <summary>A free block for a partition, or -1.</summary>
    internal int FreeBlock()
    {
        for (var block = FirmwareBlocks; block < blockOwner.Length; block++)
        {
            if (IsFree(block)) return block;
        }
        return -1;
    }

    private bool IsFree(int block) => blockOwner[block] is null && !pooled[block];

    private bool IsFreeCore(int core) => coreOwner[core] is null && !pooledCores[core];

    /// <summary>A free core, or -1.</summary>
    internal int FreeCore()
    {
        for (var core = 0; core < coreOwner.Length; core++)
        {
            if (IsFreeCore(core)) return core;
        }
        return -1;
    }

    /// <summary>Gives machine core <paramref name="index"/> to <paramref name="partition"/>, configured for it.</summary>
    internal PartitionCore AddCore(LogicalPartition partition, int index)
    {
        coreOwner[index] = partition;
        return AddProcessor(partition, Machine.Cores[index]);
    }

    // A processor of the partition on machine core <paramref name="machineCore"/>: its control structure confines the
    // guest to the partition (nested paging, the I/O bitmap) whichever core it runs on.
    private PartitionCore AddProcessor(LogicalPartition partition, Core machineCore)
    {
        var core = new PartitionCore(machineCore);
        var control = core.Control;
        control.NestedPaging = true;
        control.NestedPageTableRoot = partition.Table.Root;
        control.HltExiting = true;
        control.ExternalInterruptExiting = false;
        control.ControlRegisterWriteExiting = 0;
        control.ExceptionBitmap = 0;
        control.NestedAccessedDirty = partition.PagedByFirmware;
        // The I/O bitmap: the console's ports (the firmware serves each partition's terminal), the ports of every
        // device on the machine's bus the partition does not own (the disk and network card included: no partition
        // owns those), and its virtual devices' ports exit; only its own devices' ports go straight to them.
        control.UnconditionalIoExiting = false;
        AddExitingPorts(control, PartitionDevices.Console);
        var owned = partition.Profile.Devices.Select(PartitionDevices.PortsOf).ToList();
        foreach (var (first, count, _) in Machine.Bus.PortRanges)
        {
            for (var p = first; p < first + count; p++)
            {
                if (!owned.Any(o => p - o.First < o.Count)) control.ExitingPorts.Add(p);
            }
        }
        foreach (var device in partition.VirtualDeviceList) AddExitingPorts(control, device.Ports);
        partition.CoreList.Add(core);
        return core;
    }

    // The hardware's accessed and dirty bits in the partition's nested page table, for the firmware that pages it:
    // its clock reads which pages the guest uses, and a clean page is taken without a write.
    private static void TrackUse(LogicalPartition partition)
    {
        foreach (var core in partition.CoreList) core.Control.NestedAccessedDirty = true;
    }

    private static void AddExitingPorts(VirtualMachineControl control, (uint First, uint Count) ports)
    {
        for (var p = 0u; p < ports.Count; p++) control.ExitingPorts.Add(ports.First + p);
    }

    /// <summary>
    /// Gives <paramref name="partition"/> a virtual device: from now on its guest's accesses to the device's ports
    /// exit to the firmware, which hands them to <paramref name="device"/>. Throws <see cref="PartitionError"/>,
    /// changing nothing, if the ports are the console's, a device's the partition owns, or another virtual device's.
    /// </summary>
    public void Attach(LogicalPartition partition, IVirtualDevice device)
    {
        if (!partitions.Contains(partition)) throw new PartitionError($"attach {device.Name}: partition '{partition.Name}' is not on this machine");
        var (first, count) = device.Ports;
        var last = (ulong)first + count - 1;
        bool Overlaps((uint First, uint Count) other) => count > 0 && other.Count > 0 && first < other.First + other.Count && other.First < first + count;
        var where = $"attach {device.Name} at ports 0x{first:x}-0x{last:x} to partition '{partition.Name}'";
        if (count == 0 || last > 0xFFFF) throw new PartitionError($"{where}: a device needs 1 or more ports within 0x0-0xffff");
        if (Overlaps(PartitionDevices.Console)) throw new PartitionError($"{where}: those are the console's ports (its virtual terminal); choose other ports");
        foreach (var name in partition.Profile.Devices.Where(d => Overlaps(PartitionDevices.PortsOf(d))))
        {
            throw new PartitionError($"{where}: the partition owns the {name} there; choose other ports");
        }
        foreach (var other in partition.VirtualDeviceList.Where(d => Overlaps(d.Ports)))
        {
            throw new PartitionError($"{where}: its {other.Name} is there already; choose other ports");
        }
        partition.VirtualDeviceList.Add(device);
        foreach (var core in partition.CoreList) AddExitingPorts(core.Control, device.Ports);
    }

    /// <summary>Takes the partition's last core back: the guest leaves it, it goes to the free pool.</summary>
    internal void RemoveLastCore(LogicalPartition partition)
    {
        var core = partition.CoreList[^1];
        core.Core.RecallGuest();
        partition.CoreList.RemoveAt(partition.CoreList.Count - 1);
        // A virtual processor's core is the pool's, not the partition's.
        if (coreOwner[core.Core.Index] == partition) coreOwner[core.Core.Index] = null;
    }

    /// <summary>The boot state of a partition's core <paramref name="index"/>: ring 0, paging and interrupts off,
    /// the firmware's registers (r1 partition, r2 memory bytes, r3 cores) and a stack in the first block.</summary>
    internal static void BootCore(LogicalPartition partition, PartitionCore core, int index, uint entry)
    {
        core.Core.RecallGuest();
        core.Control.Guest = default;
        ref var guest = ref core.Control.Guest;
        guest.Pc = entry;
        guest.R[1] = (uint)partition.Id;
        guest.R[2] = partition.MemorySize;
        guest.R[3] = (uint)partition.Cores.Count;
        guest.R[15] = StackTop - (uint)index * 0x1000;
        core.Halted = false;
    }

    private void Boot(LogicalPartition partition, ProgramImage program)
    {
        foreach (var segment in program.Segments)
        {
            if ((ulong)segment.Address + (ulong)segment.Bytes.Length > partition.MemorySize)
            {
                throw new PartitionError($"partition '{partition.Name}': the program's segment at 0x{segment.Address:x8} ({segment.Bytes.Length} bytes) does not fit in its {partition.MemorySize / 1024} KiB");
            }
            WriteLogical(partition, segment.Address, segment.Bytes);
        }
        partition.Program = program;
        var secondary = program.Symbols.TryGetValue("secondary", out var s) ? s : (uint?)null;
        for (var i = 0; i < partition.CoreList.Count; i++)
        {
            var core = partition.CoreList[i];
            BootCore(partition, core, i, i == 0 ? program.Entry : secondary ?? 0);
            if (i > 0 && secondary is null) core.Halted = true;
        }
        partition.State = PartitionState.Running;
    }

    /// <summary>Copies bytes into the partition's memory at logical address <paramref name="address"/>.</summary>
    public void WriteLogical(LogicalPartition partition, uint address, ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++) Machine.Memory.Bytes[MachineAddress(partition, address + (uint)i)] = data[i];
    }

    /// <summary>Reads a word of the partition's memory at logical address <paramref name="address"/>.</summary>
    public uint ReadLogicalWord(LogicalPartition partition, uint address)
    {
        if (!partition.PagedByFirmware) return Machine.Memory.ReadWord(MachineAddress(partition, address));
        // Read where the page is, without paging it in: looking must not change what the pool holds.
        if (address > partition.MemorySize - 4 || address % 4 != 0) throw new PartitionError($"partition '{partition.Name}': 0x{address:x8} is not a word of its {partition.MemorySize / 1024} KiB");
        var page = (int)(address / MemoryMap.PageSize);
        var bytes = partition.Sharing is { } shared ? shared.Pool.Peek(shared, page) : partition.Expansion!.Peek(page);
        return BitConverter.ToUInt32(bytes[(int)(address % MemoryMap.PageSize)..]);
    }

    /// <summary>Writes a word of the partition's memory at logical address <paramref name="address"/>.</summary>
    public void WriteLogicalWord(LogicalPartition partition, uint address, uint value) => Machine.Memory.WriteWord(MachineAddress(partition, address), value);

    /// <summary>The machine address behind a logical address of the partition. For a partition whose pages the
    /// firmware moves (shared or expanded memory) the page is brought in first, and marked dirty unless the caller
    /// only reads it (<paramref name="write"/> false): its copy elsewhere is then stale.</summary>
    public uint MachineAddress(LogicalPartition partition, uint address, bool write = true)
    {
        if (address >= partition.MemorySize) throw new PartitionError($"partition '{partition.Name}': logical address 0x{address:x8} is outside its {partition.MemorySize / 1024} KiB");
        if (partition.Sharing is { } shared) return shared.Pool.FrameAddress(shared, (int)(address / MemoryMap.PageSize), write) + address % MemoryMap.PageSize;
        if (partition.Expansion is { } expansion) return expansion.FrameAddress((int)(address / MemoryMap.PageSize), write) + address % MemoryMap.PageSize;
        return (uint)partition.Blocks[(int)(address / BlockSize)] * BlockSize + address % BlockSize;
    }

    /// <summary>The machine memory behind logical page <paramref name="page"/>.</summary>
    public Span<byte> PageOf(LogicalPartition partition, int page) =>
        Machine.Memory.Slice(MachineAddress(partition, (uint)page * MemoryMap.PageSize), MemoryMap.PageSize);

    /// <summary>SHA-256 of the partition's memory in logical order, as hex.</summary>
    public string HashOf(LogicalPartition partition)
    {
        if (partition.Sharing is { } shared) return shared.Pool.HashOf(shared);
        if (partition.Expansion is { } expansion) return expansion.HashOf();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var block in partition.Blocks) sha.AppendData(Machine.Memory.Slice((uint)block * BlockSize, BlockSize));
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>SHA-256 of all machine memory except the partition's own blocks and the shared memory pool (whose
    /// frames move between partitions; compare the other partitions' <see cref="HashOf"/> instead): what must not
    /// change when it misbehaves.</summary>
    public string HashOutside(LogicalPartition partition)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var block = 0; block < blockOwner.Length; block++)
        {
            if (blockOwner[block] != partition && !pooled[block]) sha.AppendData(Machine.Memory.Slice((uint)block * BlockSize, BlockSize));
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>Runs every running partition's cores, each for up to <paramref name="instructions"/> instructions,
    /// round-robin a quantum at a time.</summary>
    public void Run(long instructions) => RunWhile(() => true, instructions);

    /// <summary>Runs like <see cref="Run"/> while <paramref name="going"/> holds (asked after every round of
    /// quanta); returns whether it still held when the instructions were spent or nothing could run.</summary>
    public bool RunWhile(Func<bool> going, long instructions)
    {
        var spent = new Dictionary<PartitionCore, long>();
        while (going())
        {
            var ran = false;
            for (var p = 0; p < partitions.Count; p++)
            {
                var partition = partitions[p];
                // A micro-partition's virtual processors run when the processor pool's dispatcher places them.
                if (partition.Processing is not null) continue;
                for (var c = 0; c < partition.CoreList.Count && partition.State == PartitionState.Running; c++)
                {
                    var core = partition.CoreList[c];
                    if (core.Halted) continue;
                    spent.TryGetValue(core, out var used);
                    if (used >= instructions) continue;
                    spent[core] = used + Slice(partition, core, Math.Min(Quantum, instructions - used));
                    ran = true;
                }
            }
            if (!ran) return going();
        }
        return false;
    }

    /// <summary>Runs the machine until <paramref name="partition"/>'s clock has advanced <paramref name="cycles"/>
    /// cycles (or it stops running).</summary>
    public void RunFor(LogicalPartition partition, ulong cycles)
    {
        var until = partition.Cycles + cycles;
        RunWhile(() => partition.State == PartitionState.Running && partition.Cycles < until && !partition.CoreList[0].Halted, long.MaxValue);
    }

    /// <summary>Suspends a running partition: its cores leave their guest, its state is kept.</summary>
    public void Suspend(LogicalPartition partition)
    {
        foreach (var core in partition.CoreList) core.Core.RecallGuest();
        if (partition.State == PartitionState.Running) partition.State = PartitionState.Suspended;
    }

    /// <summary>Resumes a suspended or reserved partition.</summary>
    public void Resume(LogicalPartition partition)
    {
        if (partition.State is PartitionState.Suspended or PartitionState.Reserved) partition.State = PartitionState.Running;
    }

    /// <summary>Removes a partition: its cores, blocks (scrubbed) and devices go back to the free pool.</summary>
    public void Release(LogicalPartition partition)
    {
        while (partition.CoreList.Count > 0) RemoveLastCore(partition);
        if (partition.Sharing is { } shared) shared.Pool.Leave(shared);
        partition.Expansion?.Release();
        while (partition.BlockList.Count > 0) RemoveLastBlock(partition);
        foreach (var device in deviceOwner.Where(d => d.Value == partition).Select(d => d.Key).ToList()) deviceOwner.Remove(device);
        foreach (var device in partition.VirtualDeviceList) device.Detach();
        partition.VirtualDeviceList.Clear();
        slotOwner[Array.IndexOf(slotOwner, partition)] = null;
        partitions.Remove(partition);
    }

    /// <summary>Raises the firmware's event line on the partition's first core (vector 44).</summary>
    internal static void Notify(LogicalPartition partition) => partition.CoreList[0].Core.RaiseInterrupt(FirmwareCall.EventLine);

    /// <summary>Runs one of the partition's processors on its core for up to <paramref name="budget"/> instructions,
    /// serving the exit it stops at; returns the instructions run (at least 1). The core stays in guest mode.</summary>
    internal long Slice(LogicalPartition partition, PartitionCore core, long budget)
    {
        var cpu = core.Core;
        if (!cpu.InGuestMode) cpu.EnterGuest(core.Control);
        var before = cpu.Counters.Instructions;
        var exit = cpu.Run(budget);
        switch (exit.Reason)
        {
            case ExitReason.BudgetSpent or ExitReason.Stopped:
                break;
            case ExitReason.VmExit:
                HandleVmExit(partition, core);
                break;
            default:
                Stop(partition, $"partition '{partition.Name}' stopped: {exit}");
                break;
        }
        return Math.Max(1, (long)(cpu.Counters.Instructions - before));
    }

    private void HandleVmExit(LogicalPartition partition, PartitionCore core)
    {
        var control = core.Control;
        ref var guest = ref control.Guest;
        var q = control.ExitQualification;
        switch (control.ExitReason)
        {
            case VmExitReason.IoInstruction:
                var port = q & 0xFFFF;
                var register = (int)(q >> 20) & 15;
                if (port - PartitionDevices.Console.First < PartitionDevices.Console.Count)
                {
                    if ((q & 0x10000) == 0) guest.R[register] = 0;
                    else if (port == PartitionDevices.Console.First) partition.Print((char)(guest.R[register] & 0xFF));
                    guest.Pc += control.ExitInstructionLength;
                    return;
                }
                if (partition.VirtualDeviceAt(port) is { } virtualDevice)
                {
                    var io = new VirtualIo(this, partition, core.Core);
                    var offset = port - virtualDevice.Ports.First;
                    if ((q & 0x10000) == 0) guest.R[register] = virtualDevice.Read(io, offset);
                    else virtualDevice.Write(io, offset, guest.R[register]);
                    guest.Pc += control.ExitInstructionLength;
                    return;
                }
                var device = PartitionDevices.At(port);
                var machineDevice = device is null ? Machine.Bus.FindPort(port, out _)?.Name : null;
                var owner = device is not null
                    ? deviceOwner.TryGetValue(device, out var o) ? $"belongs to partition '{o.Name}'" : "belongs to no partition"
                    : machineDevice is not null
                        ? $"is the machine's {machineDevice}, which no partition can own (it writes memory by DMA and this machine has no I/O MMU; the firmware serves a partition a virtual device in its place)"
                        : "belongs to no partition";
                Stop(partition, $"partition '{partition.Name}' touched port 0x{port:x} ({device ?? machineDevice ?? "no device"}) at pc 0x{guest.Pc:x8}, which {owner}: stopped by the firmware");
                return;
            case VmExitReason.Vmcall:
                Call(partition, ref guest);
                guest.Pc += control.ExitInstructionLength;
                return;
            case VmExitReason.NestedPageFault:
                var address = control.ExitAddress;
                var page = (int)(address >> 12);
                if (page < partition.Pages)
                {
                    if (q == 2 && partition.DirtyLogging && partition.Table.IsPresent(page) && !partition.Table.IsWritable(page))
                    {
                        partition.Dirty[page] = true;
                        partition.Table.SetWritable(page, true);
                        partition.DirtyFaults++;
                        return;
                    }
                    if (!partition.Table.IsPresent(page) && partition.MissingPages?.BringIn(partition, page, core.Core) == true)
                    {
                        partition.MissingPageFaults++;
                        return;
                    }
                }
                var kind = q switch { 1 => "read", 2 => "write", _ => "fetch" };
                Stop(partition, $"partition '{partition.Name}' reached logical address 0x{address:x8} ({kind}) at pc 0x{guest.Pc:x8}, outside its {partition.MemorySize / 1024} KiB: stopped by the firmware; nothing outside the partition changed");
                return;
            case VmExitReason.Hlt:
                guest.Pc += control.ExitInstructionLength;
                core.Halted = true;
                if (partition.CoreList.All(c => c.Halted)) partition.State = PartitionState.Halted;
                return;
            case VmExitReason.TripleFault:
                Stop(partition, $"partition '{partition.Name}' triple-faulted at pc 0x{guest.Pc:x8} (no interrupt table for a fault?): stopped by the firmware");
                return;
            default:
                Stop(partition, $"partition '{partition.Name}': unexpected exit {control.ExitReason} at pc 0x{guest.Pc:x8}");
                return;
        }
    }

    private static void Call(LogicalPartition partition, ref Machine.Cpu.CpuState guest)
    {
        switch (guest.R[0])
        {
            case FirmwareCall.DlparQuery:
                var (memory, cores) = partition.Request ?? (partition.MemorySize, partition.Cores.Count);
                guest.R[0] = memory;
                guest.R[1] = (uint)cores;
                return;
            case FirmwareCall.DlparDone:
                partition.Released = guest.R[1];
                partition.Confirmations++;
                return;
            case FirmwareCall.PageUse when partition.Sharing is { } shared:
                try
                {
                    SharedMemoryPool.SetUse(shared, (int)guest.R[1], (int)guest.R[2], (PageUse)guest.R[3]);
                    guest.R[0] = FirmwareCall.Success;
                }
                catch (PartitionError)
                {
                    guest.R[0] = FirmwareCall.Parameter;
                }
                return;
            default:
                guest.R[0] = FirmwareCall.Unsupported;
                return;
        }
    }

    private static void Stop(LogicalPartition partition, string message)
    {
        partition.State = PartitionState.Faulted;
        partition.Fault = message;
    }
}
