using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Machine.Virtualization.Paravirtualization;

/// <summary>
/// A type-1 paravirtual hypervisor, after Xen: it owns ring 0; the guest kernel is a modified build of the same
/// source (<c>-D PARAVIRT</c>) that runs in ring 1 and asks for privileged work with hypercalls instead of
/// executing privileged instructions. Page tables are pinned and changed only through batched, validated
/// updates: no entry may map memory outside the domain, or map a page table writable. The unmodified kernel
/// fails under it at its first privileged instruction, because this hypervisor emulates nothing.
/// </summary>
public sealed class ParavirtualHypervisor : DeprivilegedMonitor
{
    private readonly Dictionary<uint, int> pinned = [];   // guest-physical page -> level (1 table, 2 directory)
    private readonly SplitDriverChannel? channel;

    /// <summary>A hypervisor hosting one domain on a machine of its own, its kernel in ring 1 (as 32-bit Xen) or,
    /// with <paramref name="kernelRing"/> 3, in ring 3 (as 64-bit Xen, where segment limits no longer protect a
    /// ring-1 kernel): the kernel is then protected from its own programs by separate address spaces.</summary>
    public ParavirtualHypervisor(CostTable costs, int kernelRing = 1) : base(costs, kernelRing)
    {
        if (kernelRing is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(kernelRing), "the guest kernel runs in ring 1 or ring 3");
        Role = DomainRole.Guest;
    }

    // Ring-3 kernels: the hypervisor's own copies of the domain's page tables, one view for the kernel (every
    // page reachable from ring 3) and one for user mode (only the user pages), in a reserve just past the
    // domain's memory — inside the core's window, out of the domain's reach (frames there fail validation).
    private const uint ReserveSize = 0x10000;
    private uint kernelView, userView;

    /// <summary>One domain of several on a shared machine, connected to the others by <paramref name="channel"/>.</summary>
    public ParavirtualHypervisor(Computer computer, int core, uint guestBase, uint guestSize, DomainRole role, SplitDriverChannel channel)
        : base(computer, core, guestBase, guestSize, kernelRing: 1)
    {
        Role = role;
        this.channel = channel;
    }

    /// <summary>Whether this domain is the control domain (Dom0, which owns the real devices) or a guest (DomU).</summary>
    public DomainRole Role { get; }

    /// <inheritdoc/>
    public override string Name => "paravirtualization";

    /// <summary>Pages pinned as page tables.</summary>
    public IReadOnlyDictionary<uint, int> PinnedTables => pinned;

    /// <inheritdoc/>
    protected override void Prepare(uint entry)
    {
        base.Prepare(entry);
        Core.SetMemoryWindow(Guest.HostBase, Guest.Size + (KernelRing == 3 ? ReserveSize : 0));
    }

    /// <inheritdoc/>
    public override void OnAddressSpaceChanged()
    {
        Core.State.Cr0 = Vcpu.Cr0 & ControlRegister.PagingEnabled;
        Core.State.Cr3 = Vcpu.Cr3;
        if (KernelRing == 3 && Vcpu.PagingEnabled)
        {
            BuildViews();
            Core.State.Cr3 = Vcpu.Ring == 3 ? userView : kernelView;
        }
        Core.FlushTlb();
    }

    /// <inheritdoc/>
    public override void EnterVirtualRing()
    {
        base.EnterVirtualRing();
        if (KernelRing != 3 || !Vcpu.PagingEnabled) return;
        // Kernel and user programs share ring 3, so only the address space tells them apart: every entry into
        // and exit from the kernel switches it, and pays for the TLB flush.
        var view = Vcpu.Ring == 3 ? userView : kernelView;
        if (Core.State.Cr3 == view) return;
        Core.State.Cr3 = view;
        Core.FlushTlb();
        Core.Charge(Costs.ControlRegister + Costs.TlbInvalidate);
    }

    /// <summary>Builds the kernel and user views of the domain's current page tables.</summary>
    private void BuildViews()
    {
        var ram = Computer.Memory;
        var reserve = Guest.Size;
        kernelView = reserve;
        userView = reserve + MemoryMap.PageSize;
        var next = reserve + 2 * MemoryMap.PageSize;
        Guest.ToHost(kernelView, out var kernelDirectory);
        Guest.ToHost(userView, out var userDirectory);
        ram.Slice(kernelDirectory, MemoryMap.PageSize).Clear();
        ram.Slice(userDirectory, MemoryMap.PageSize).Clear();
        Guest.ToHost(Vcpu.Cr3 & PageTableEntry.FrameMask, out var guestDirectory);
        for (var i = 0u; i < 1024; i++)
        {
            var pde = ram.ReadWord(guestDirectory + i * 4);
            if ((pde & PageTableEntry.Present) == 0) continue;
            if (next + 2 * MemoryMap.PageSize > reserve + ReserveSize) break;
            var (kernelTable, userTable) = (next, next + MemoryMap.PageSize);
            next += 2 * MemoryMap.PageSize;
            Guest.ToHost(pde & PageTableEntry.FrameMask, out var guestTable);
            Guest.ToHost(kernelTable, out var kernelAt);
            Guest.ToHost(userTable, out var userAt);
            for (var j = 0u; j < 1024; j++)
            {
                var pte = ram.ReadWord(guestTable + j * 4);
                var present = (pte & PageTableEntry.Present) != 0;
                ram.WriteWord(kernelAt + j * 4, present ? pte | PageTableEntry.User : 0);
                ram.WriteWord(userAt + j * 4, present && (pde & pte & PageTableEntry.User) != 0 ? pte : 0);
            }
            ram.WriteWord(kernelDirectory + i * 4, PageTableEntry.Make(kernelTable, PageTableEntry.Present | PageTableEntry.Writable | PageTableEntry.User));
            ram.WriteWord(userDirectory + i * 4, PageTableEntry.Make(userTable, PageTableEntry.Present | PageTableEntry.Writable | PageTableEntry.User));
        }
        Core.Charge(Costs.ShadowUpdate);
    }

    /// <inheritdoc/>
    protected override MonitorRun? HandleExit(RunExit exit)
    {
        if (exit.Reason == ExitReason.Hypercall) return Serve((Hypercall)exit.HypercallNumber);
        if (exit is { Reason: ExitReason.Trap, Vector: (int)ExceptionVector.GeneralProtection, PcAdvanced: false } && Core.State.Cpl == KernelRing)
        {
            if (Role == DomainRole.Control && PassThroughPortAccess()) return null;
            var text = Guest.TryRead(exit.Pc, out var word) ? Assembler.Disassembler.Decode(exit.Pc, word, 0).Text : "?";
            return Fail($"the paravirtual hypervisor emulates no privileged instructions: '{text}' at pc 0x{exit.Pc:x8} in the guest kernel (is it built with -D PARAVIRT?)");
        }
        return HandleCommonExit(exit);
    }

    private MonitorRun? Serve(Hypercall call)
    {
        Statistics.Hypercalls++;
        Core.Charge(Costs.Hypercall);
        ref var s = ref Core.State;
        var a = s.R[1];
        var result = 0u;
        switch (call)
        {
            case Hypercall.ConsoleWrite:
                Computer.Console.Write(0, 1, a);
                break;
            case Hypercall.SetTrapTable:
                Vcpu.Idtr = a;
                break;
            case Hypercall.PinTable:
                result = Pin(a & PageTableEntry.FrameMask, (int)s.R[2]) ? 0 : Refuse();
                break;
            case Hypercall.MmuUpdate:
                result = Update(a, s.R[2]);
                break;
            case Hypercall.NewBasePointer:
                if (!pinned.TryGetValue(a & PageTableEntry.FrameMask, out var level) || level != 2 || !ValidateTree(a & PageTableEntry.FrameMask))
                {
                    result = Refuse();
                    break;
                }
                Vcpu.Cr3 = a & PageTableEntry.FrameMask;
                Vcpu.Cr0 |= ControlRegister.PagingEnabled;
                OnAddressSpaceChanged();
                break;
            case Hypercall.SetTimer:
                Core.Timer.Write(0, a, Core.Counters.Cycles);
                Core.Timer.Write(1, a == 0 ? 0 : 3u, Core.Counters.Cycles);
                break;
            case Hypercall.Events:
                Vcpu.InterruptsEnabled = a != 0;
                break;
            case Hypercall.Iret:
                return Iret();
            case Hypercall.StackSwitch:
                Vcpu.Ksp = a;
                break;
            case Hypercall.Shutdown:
                Vcpu.InterruptsEnabled = false;
                Vcpu.Halted = true;
                return new MonitorRun(MonitorOutcome.Halted, "the domain shut down");
            case Hypercall.InvalidatePage:
                Core.InvalidatePage(a);
                break;
            case Hypercall.PortIn:
                result = Devices.In(a);
                break;
            case Hypercall.SetPriority:
                Vcpu.Cr8 = a & 15;
                break;
            case Hypercall.Grant or Hypercall.EventSend or Hypercall.Block or Hypercall.GrantCopy or Hypercall.GrantWrite:
                if (channel is null) { result = Refuse(); break; }
                var outcome = channel.Serve(this, call, ref s, out result);
                if (result == SplitDriverChannel.Refused) Statistics.Refusals++;
                if (outcome is { } blocked)
                {
                    s.R[0] = result;
                    return blocked;
                }
                break;
            default:
                result = Refuse();
                break;
        }
        s.R[0] = result;
        return null;
    }

    /// <summary>Dom0 owns the real devices: its port instructions trap (ring 1) and are carried out for it.</summary>
    private bool PassThroughPortAccess()
    {
        ref var s = ref Core.State;
        if (!Guest.TryRead(s.Pc, out var fetched)) return false;
        var word = new InstructionWord(fetched);
        if (word.Opcode is not (Opcode.In or Opcode.Out)) return false;
        if (word.Opcode == Opcode.In) s.R[word.Rd] = Devices.In(word.Imm16);
        else Devices.Out(word.Imm16, s.R[word.Rs]);
        s.Pc += 4;
        return true;
    }

    private uint Refuse()
    {
        Statistics.Refusals++;
        return 0xFFFF_FFFF;
    }

    // The iret hypercall: the kernel left r0 on its stack above the frame (it needed r0 for the call number).
    private MonitorRun? Iret()
    {
        ref var s = ref Core.State;
        var sp = s.R[15];
        if (!Guest.TryRead(sp, out var r0)) return Fail($"iret hypercall: the guest's stack at 0x{sp:x8} is not readable");
        s.R[0] = r0;
        return ReturnFromTrap(sp + 4, out var failure) ? null : Fail(failure);
    }

    private bool Pin(uint page, int level)
    {
        if (level is not (1 or 2) || page > Guest.Size - MemoryMap.PageSize) return false;
        pinned[page] = level;
        if (Validate(page, level)) return true;
        pinned.Remove(page);
        return false;
    }

    /// <summary>Checks a directory and every table it names: what was written into them before they were in use
    /// (while paging was off) is checked before the hardware may walk them.</summary>
    private bool ValidateTree(uint directory)
    {
        if (!Validate(directory, 2)) return false;
        Guest.ToHost(directory, out var at);
        for (var i = 0u; i < 1024; i++)
        {
            var pde = Computer.Memory.ReadWord(at + i * 4);
            if ((pde & PageTableEntry.Present) != 0 && !Validate(pde & PageTableEntry.FrameMask, 1)) return false;
        }
        return true;
    }

    /// <summary>Checks every entry of a pinned table.</summary>
    private bool Validate(uint page, int level)
    {
        Guest.ToHost(page, out var at);
        for (var i = 0u; i < 1024; i++)
        {
            Core.Charge(Costs.PageTableValidation);
            if (!Valid(page, level, Computer.Memory.ReadWord(at + i * 4))) return false;
        }
        return true;
    }

    private bool Valid(uint page, int level, uint entry)
    {
        if ((entry & PageTableEntry.Present) == 0) return true;
        var frame = entry & PageTableEntry.FrameMask;
        if (frame > Guest.Size - MemoryMap.PageSize) return false;          // outside the domain
        if (level == 2) return pinned.TryGetValue(frame, out var l) && l == 1;   // a directory names pinned tables only
        return !pinned.ContainsKey(frame) || (entry & PageTableEntry.Writable) == 0; // never a page table, writable
    }

    /// <summary>Applies a batch of (entry address, value) updates, each validated; stops at the first refusal.</summary>
    private uint Update(uint batch, uint count)
    {
        if (count > 4096) return Refuse();
        for (var i = 0u; i < count; i++)
        {
            if (!Guest.TryRead(batch + i * 8, out var address) || !Guest.TryRead(batch + i * 8 + 4, out var value)) return Refuse();
            Core.Charge(Costs.PageTableValidation);
            var page = address & PageTableEntry.FrameMask;
            if ((address & 3) != 0 || !pinned.TryGetValue(page, out var level) || !Valid(page, level, value))
            {
                if (Vcpu.PagingEnabled && i > 0) OnAddressSpaceChanged();
                return i == 0 ? Refuse() : i;
            }
            Guest.ToHost(address, out var at);
            Computer.Memory.WriteWord(at, value);
            Statistics.PageTableUpdates++;
        }
        if (Vcpu.PagingEnabled && count > 0) OnAddressSpaceChanged();
        return count;
    }
}
