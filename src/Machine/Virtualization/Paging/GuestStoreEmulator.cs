using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Virtualization.Emulation;

namespace VirtualizationWorkbench.Machine.Virtualization.Paging;

/// <summary>
/// Performs, in software, a guest store that faulted because it hit a page the monitor write-protects (a guest
/// page table, translated code): decodes the instruction, checks the guest's own permission, writes guest
/// memory and moves the guest past the instruction. Handles the instructions that write memory: <c>st</c>,
/// <c>stb</c>, <c>push</c>, <c>pushf</c>, <c>call</c>, <c>callr</c> and <c>xchg</c>.
/// </summary>
public static class GuestStoreEmulator
{
    /// <summary>Emulates the store at <paramref name="guest"/>'s pc. On success, <paramref name="written"/> is the
    /// guest-physical address written.</summary>
    public static bool TryEmulate(ref CpuState guest, GuestAddressSpace space, Memory.PhysicalMemory memory, VirtualCpu vcpu, out uint written, out string failure)
    {
        written = 0;
        failure = "";
        if (!space.TryRead(guest.Pc, out var fetched))
        {
            failure = $"cannot read the instruction at 0x{guest.Pc:x8}";
            return false;
        }
        var word = new InstructionWord(fetched);
        var rd = word.Rd;
        var rs = word.Rs;
        var displacement = word.SignedImm16;
        var next = guest.Pc + 4;
        uint address, value;
        var size = 4;
        var target = 0u;
        var user = vcpu.Ring == 3;
        switch (word.Opcode)
        {
            case Opcode.St: address = guest.R[rs] + displacement; value = guest.R[rd]; break;
            case Opcode.Stb: address = guest.R[rs] + displacement; value = guest.R[rd] & 0xFF; size = 1; break;
            case Opcode.Push: address = guest.R[15] - 4; value = guest.R[rs]; break;
            case Opcode.Pushf: address = guest.R[15] - 4; value = vcpu.GuestFlags(guest.Flags); break;
            case Opcode.Call: address = guest.R[15] - 4; value = next; break;
            case Opcode.Callr: address = guest.R[15] - 4; value = next; target = guest.R[rs]; break;
            case Opcode.Xchg:
                address = guest.R[rs] + displacement;
                value = guest.R[rd];
                if (!space.TryRead(address, out var old)) { failure = $"xchg at 0x{guest.Pc:x8}: 0x{address:x8} unreadable"; return false; }
                guest.R[rd] = old;
                break;
            default:
                failure = $"the instruction at 0x{guest.Pc:x8} writes a protected page in a way the monitor does not emulate";
                return false;
        }
        if (!space.Walk(address, write: true, user, out written, out _) || !space.ToHost(written, out var host))
        {
            failure = $"0x{address:x8}: the guest may not write there";
            return false;
        }
        if (size == 4) memory.WriteWord(host, value);
        else memory.Write(host, [(byte)value]);
        switch (word.Opcode)
        {
            case Opcode.Push or Opcode.Pushf: guest.R[15] -= 4; break;
            case Opcode.Call: guest.R[15] -= 4; next += word.BranchOffset; break;
            case Opcode.Callr: guest.R[15] -= 4; next = target; break;
        }
        guest.Pc = next;
        return true;
    }
}
