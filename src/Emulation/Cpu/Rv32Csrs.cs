namespace VirtualizationWorkbench.Emulation.Cpu;

/// <summary>
/// The control and status registers: the machine-mode ones a bare-metal program needs (system mode) and the
/// counters any program may read. Reads and writes go through <see cref="TryRead"/>/<see cref="TryWrite"/>; a
/// CSR that does not exist or that the privilege forbids makes the instruction illegal.
/// </summary>
public static class Rv32Csrs
{
    /// <summary>mstatus.MIE.</summary>
    public const uint MstatusMie = 1 << 3;
    /// <summary>mstatus.MPIE.</summary>
    public const uint MstatusMpie = 1 << 7;
    /// <summary>mstatus.MPP (two bits).</summary>
    public const uint MstatusMpp = 3 << 11;
    /// <summary>mie.MTIE / mip.MTIP.</summary>
    public const uint MieTimer = 1 << 7;
    /// <summary>misa: RV32 with I and M.</summary>
    public const uint Misa = 0x4000_0000 | (1 << 8) | (1 << 12);

    /// <summary>CSR numbers.</summary>
    public const uint Mstatus = 0x300, MisaNumber = 0x301, Medeleg = 0x302, Mideleg = 0x303, Mie = 0x304, Mtvec = 0x305,
        Mcounteren = 0x306, Mscratch = 0x340, Mepc = 0x341, Mcause = 0x342, Mtval = 0x343, Mip = 0x344,
        Satp = 0x180, Pmpcfg0 = 0x3A0, Pmpaddr0 = 0x3B0, Mcycle = 0xB00, Minstret = 0xB02, Mcycleh = 0xB80, Minstreth = 0xB82,
        Cycle = 0xC00, Time = 0xC01, Instret = 0xC02, Cycleh = 0xC80, Timeh = 0xC81, Instreth = 0xC82,
        Mvendorid = 0xF11, Marchid = 0xF12, Mimpid = 0xF13, Mhartid = 0xF14;

    /// <summary>Reads CSR <paramref name="number"/>; false when it does not exist or the privilege is too low.</summary>
    public static bool TryRead(Rv32Hart hart, uint number, out uint value)
    {
        ref var s = ref hart.State;
        value = 0;
        // Counters: readable in every mode (user programs use rdcycle/rdinstret).
        switch (number)
        {
            case Cycle: value = (uint)s.Cycles; return true;
            case Cycleh: value = (uint)(s.Cycles >> 32); return true;
            case Time: case Instret: value = (uint)s.Instructions; return true;
            case Timeh: case Instreth: value = (uint)(s.Instructions >> 32); return true;
        }
        if (!hart.SystemMode || s.Privilege < 3 || ((number >> 8) & 3) != 3) return false;
        switch (number)
        {
            case Mstatus: value = s.Mstatus; return true;
            case MisaNumber: value = Misa; return true;
            case Mie: value = s.Mie; return true;
            case Mip: value = s.Instructions >= hart.TimerCompare ? MieTimer : 0; return true;
            case Mtvec: value = s.Mtvec; return true;
            case Mscratch: value = s.Mscratch; return true;
            case Mepc: value = s.Mepc; return true;
            case Mcause: value = s.Mcause; return true;
            case Mtval: value = s.Mtval; return true;
            case Mcycle: value = (uint)s.Cycles; return true;
            case Mcycleh: value = (uint)(s.Cycles >> 32); return true;
            case Minstret: value = (uint)s.Instructions; return true;
            case Minstreth: value = (uint)(s.Instructions >> 32); return true;
            case Medeleg:
            case Mideleg:
            case Mcounteren:
            case Satp:
            case Pmpcfg0:
            case Pmpaddr0:
            case Mvendorid:
            case Marchid:
            case Mimpid:
            case Mhartid:
                value = 0; return true;
            default: return false;
        }
    }

    /// <summary>Writes CSR <paramref name="number"/> (only the bits the hart implements stick); false when it
    /// does not exist, is read-only, or the privilege is too low.</summary>
    public static bool TryWrite(Rv32Hart hart, uint number, uint value)
    {
        ref var s = ref hart.State;
        if (!hart.SystemMode || s.Privilege < 3 || ((number >> 8) & 3) != 3 || (number >> 10) == 3) return false;
        switch (number)
        {
            case Mstatus: s.Mstatus = value & (MstatusMie | MstatusMpie | MstatusMpp); break;
            case Mie: s.Mie = value & MieTimer; break;
            case Mtvec: s.Mtvec = value & ~2u; break;
            case Mscratch: s.Mscratch = value; break;
            case Mepc: s.Mepc = value & ~3u; break;
            case Mcause: s.Mcause = value; break;
            case Mtval: s.Mtval = value; break;
            case Mcycle: s.Cycles = (s.Cycles & 0xFFFF_FFFF_0000_0000) | value; break;
            case Mcycleh: s.Cycles = (s.Cycles & 0xFFFF_FFFF) | ((ulong)value << 32); break;
            case MisaNumber:
            case Mip:
            case Medeleg:
            case Mideleg:
            case Mcounteren:
            case Satp:
            case Pmpcfg0:
            case Pmpaddr0:
            case Minstret:
            case Minstreth:
                break;   // WARL fields this hart fixes (no S mode, no PMP); the instruction counter is the timer's base
            default: return false;
        }
        hart.Recheck = true;
        return true;
    }
}
