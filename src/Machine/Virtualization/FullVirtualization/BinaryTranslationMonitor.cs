using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Memory;
using VirtualizationWorkbench.Machine.Virtualization.Emulation;
using VirtualizationWorkbench.Machine.Virtualization.Paging;

namespace VirtualizationWorkbench.Machine.Virtualization.FullVirtualization;

/// <summary>
/// A type-2 monitor by binary translation, after VMware's: the unmodified guest kernel runs in ring 1, but
/// never untranslated. The first time the kernel reaches a basic block, the monitor translates it: innocuous
/// instructions translate to themselves, and every sensitive or privileged one — <c>popf</c> and
/// <c>getcpl</c> included, which trap-and-emulate never sees — becomes a callout into the monitor, as do
/// indirect branches, which must look their target up in the translation cache. Memory is virtualized with
/// shadow page tables; translated code pages are write-protected in the shadow, so a guest that writes its own
/// code throws the stale translations away. User code (ring 3) runs directly.
/// </summary>
public sealed class BinaryTranslationMonitor : DeprivilegedMonitor
{
    private const int MaxBlock = 64;
    private readonly TranslationMap map;
    private readonly Dictionary<uint, List<uint>> translatedSlots = [];   // guest-physical code page -> slot pcs

    /// <summary>Creates the monitor.</summary>
    public BinaryTranslationMonitor(CostTable costs) : base(costs, kernelRing: 1)
    {
        Shadow = new ShadowPageTable(this);
        map = new TranslationMap(0, Guest.Size, KernelRing);
    }

    /// <inheritdoc/>
    public override string Name => "binary-translation";

    /// <summary>The shadow page tables.</summary>
    public ShadowPageTable Shadow { get; }

    /// <summary>What has been translated.</summary>
    public TranslationMap Translations => map;

    /// <inheritdoc/>
    protected override void Prepare(uint entry)
    {
        base.Prepare(entry);
        Core.State.Cr3 = Shadow.Directory;
        Core.State.Cr0 = ControlRegister.PagingEnabled;
        Shadow.Reset();
    }

    /// <inheritdoc/>
    public override void OnAddressSpaceChanged() => Shadow.Reset();

    /// <inheritdoc/>
    public override void OnTlbInvalidated(uint? address)
    {
        if (address is { } a) Shadow.Invalidate(a);
        else Shadow.Reset();
    }

    /// <inheritdoc/>
    protected override RunExit RunGuest(long budget)
    {
        var hooks = new TranslationHooks(map);
        return Core.Run(budget, ref hooks);
    }

    /// <inheritdoc/>
    protected override MonitorRun? HandleExit(RunExit exit)
    {
        switch (exit.Reason)
        {
            case ExitReason.Translation:
                if (map[exit.Pc] == TranslationState.Untranslated)
                {
                    Translate(exit.Pc);
                    return null;
                }
                Statistics.Callouts++;
                Core.Charge(Costs.TranslationCallout);
                if (IndirectBranch()) return null;
                if (adaptedStores.Contains(exit.Pc)) return EmulateProtectedStore();
                return EmulateOrReflect(exit with { Vector = (int)ExceptionVector.GeneralProtection });
            case ExitReason.Trap when exit.Vector == (int)ExceptionVector.PageFault:
                return PageFault(exit);
            case ExitReason.Trap when exit.Vector == (int)ExceptionVector.GeneralProtection && !exit.PcAdvanced && Core.State.Cpl == KernelRing:
                // Code translated before its page was readable, then reached: emulate it like a callout.
                return EmulateOrReflect(exit);
            default:
                return HandleCommonExit(exit);
        }
    }

    /// <summary>Translates the basic block at <paramref name="pc"/>: up to the first control transfer, the end of
    /// the page, or <see cref="MaxBlock"/> instructions.</summary>
    private void Translate(uint pc)
    {
        var count = 0;
        while (count < MaxBlock)
        {
            if (!Guest.TryRead(pc, out var word) || !Guest.Walk(pc, false, false, out var physical, out _))
            {
                // Not mapped yet: let it run and fault; the page fault goes to the guest.
                map.Set(pc, TranslationState.Translated);
                break;
            }
            var info = InstructionSet.Get((byte)new InstructionWord(word).Opcode);
            var op = info?.Opcode ?? Opcode.Invalid;
            var state = info is not null && (info.Sensitive || op is Opcode.Ret or Opcode.Jmpr or Opcode.Callr)
                ? TranslationState.Callout
                : TranslationState.Translated;
            map.Set(pc, state);
            Remember(physical, pc);
            count++;
            var length = (uint)(info?.Length ?? 4);
            if (length == 8)
            {
                map.Set(pc + 4, TranslationState.Translated);
                SlotsOf(physical).Add(pc + 4);
            }
            var ends = info is null || info.Form == OperandForm.Branch || op is Opcode.Ret or Opcode.Jmpr or Opcode.Callr or Opcode.Iret or Opcode.Int
                or Opcode.Hlt or Opcode.Brk or Opcode.Vmcall;
            var nextPc = pc + length;
            if (ends || (nextPc & 0xFFF) == 0 || map[nextPc] != TranslationState.Untranslated) break;
            pc = nextPc;
        }
        Statistics.TranslatedBlocks++;
        Statistics.TranslatedInstructions += (ulong)count;
        Core.Charge((ulong)count * Costs.TranslateInstruction);
    }

    private void Remember(uint guestPhysical, uint pc) => SlotsOf(guestPhysical).Add(pc);

    // The translated slots of a code page; the first translation on a page write-protects it.
    private List<uint> SlotsOf(uint guestPhysical)
    {
        var page = guestPhysical & PageTableEntry.FrameMask;
        if (!translatedSlots.TryGetValue(page, out var slots))
        {
            translatedSlots[page] = slots = [];
            Shadow.Watch(page);
        }
        return slots;
    }

    /// <summary>Emulates ret, jmpr and callr at a callout: the translation-cache lookup of their target.</summary>
    private bool IndirectBranch()
    {
        ref var s = ref Core.State;
        if (!Guest.TryRead(s.Pc, out var fetched)) return false;
        var word = new InstructionWord(fetched);
        var rs = word.Rs;
        switch (word.Opcode)
        {
            case Opcode.Ret:
                if (!Guest.TryRead(s.R[15], out var target)) return false;
                s.R[15] += 4;
                s.Pc = target;
                break;
            case Opcode.Jmpr:
                s.Pc = s.R[rs];
                break;
            case Opcode.Callr:
                var destination = s.R[rs];
                if (!Guest.TryWrite(s.R[15] - 4, s.Pc + 4)) return false;
                s.R[15] -= 4;
                s.Pc = destination;
                break;
            default:
                return false;
        }
        Core.Charge(Costs.IndirectBranch);
        return true;
    }

    private MonitorRun? PageFault(RunExit exit)
    {
        switch (Shadow.HandleFault(exit.FaultAddress, exit.ErrorCode, out var written))
        {
            case ShadowFault.Filled:
                return null;
            case ShadowFault.GuestFault:
                Vcpu.Cr2 = exit.FaultAddress;
                // The guest sees its own ring in the error code, not the real one.
                var error = (exit.ErrorCode & ~PageFaultError.User) | (Vcpu.Ring == 3 ? PageFaultError.User : 0);
                return Reflect((int)ExceptionVector.PageFault, error, exit.Pc, software: false);
            default:
                Statistics.HiddenPageFaults++;
                Adapt(exit.Pc);
                return EmulateProtectedStore();
        }
    }

    /// <summary>
    /// Adaptive translation, as in VMware's monitor: a kernel instruction that keeps faulting on protected pages
    /// (a page-table write) is retranslated as a callout, so from then on it costs a call into the monitor
    /// instead of a page fault.
    /// </summary>
    private void Adapt(uint pc)
    {
        if (Core.State.Cpl != KernelRing || map[pc] != TranslationState.Translated) return;
        storeFaults[pc] = storeFaults.GetValueOrDefault(pc) + 1;
        if (storeFaults[pc] < 2) return;
        map.Set(pc, TranslationState.Callout);
        adaptedStores.Add(pc);
    }

    private readonly Dictionary<uint, int> storeFaults = [];
    private readonly HashSet<uint> adaptedStores = [];

    /// <summary>Performs a guest store to a protected page and keeps the shadow and the translations right.</summary>
    private MonitorRun? EmulateProtectedStore()
    {
        if (!GuestStoreEmulator.TryEmulate(ref Core.State, Guest, Computer.Memory, Vcpu, out var written, out var failure))
        {
            return Fail(failure);
        }
        Core.Charge(Costs.Emulation);
        if (Shadow.IsGuestPageTable(written))
        {
            Statistics.TracedPageTableWrites++;
            Shadow.OnGuestTableWritten(written);
        }
        if (translatedSlots.Remove(written & PageTableEntry.FrameMask, out var slots))
        {
            // The guest wrote to code we translated: those translations are stale.
            foreach (var slot in slots) map.Set(slot, TranslationState.Untranslated);
            Statistics.TranslationInvalidations++;
            Shadow.Unwatch(written);
        }
        return null;
    }
}
