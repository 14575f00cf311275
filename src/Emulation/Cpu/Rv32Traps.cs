namespace VirtualizationWorkbench.Emulation.Cpu;

/// <summary>
/// The one place a trap is delivered (mini-rv32ima's trap block, xv6's usertrap). An instruction only records
/// its cause and value; this decides what happens: in user mode every trap but ecall exits to the host as a
/// guest exception; in system mode the hart saves pc, cause and value in mepc/mcause/mtval, moves MIE to MPIE
/// and the privilege to MPP, enters machine mode and jumps to mtvec.
/// </summary>
internal static class Rv32Traps
{
    /// <summary>Delivers a trap at the current pc. Returns false when the run must stop, with the exit in
    /// <see cref="Rv32Hart.PendingExit"/>.</summary>
    public static bool Deliver(Rv32Hart hart, Rv32TrapCause cause, uint value)
    {
        ref var s = ref hart.State;
        s.Cycles += Rv32Costs.Trap;
        if (!hart.SystemMode)
        {
            if (cause == Rv32TrapCause.EcallFromUser)
            {
                s.Pc += 4;
                hart.PendingExit = new Rv32Exit(Rv32ExitReason.SystemCall, s.Pc);
            }
            else
            {
                hart.PendingExit = new Rv32Exit(Rv32ExitReason.GuestException, s.Pc, cause, value);
            }
            return false;
        }
        var interrupt = ((uint)cause & 0x8000_0000) != 0;
        // An exception counts as an instruction run (it ran, into a trap): so a handler that faults itself, over
        // and over, still spends the budget and the run ends at --max-steps instead of spinning forever.
        if (!interrupt) s.Instructions++;
        var vector = (s.Mtvec & 3) == 1 && interrupt ? (s.Mtvec & ~3u) + 4 * ((uint)cause & 0x7FFF_FFFF) : s.Mtvec & ~3u;
        if (!hart.Memory.InRam(vector, 4))
        {
            // Nothing could handle it: with the vector unmapped the hart would fault forever.
            hart.PendingExit = new Rv32Exit(Rv32ExitReason.GuestException, s.Pc, cause, value);
            return false;
        }
        s.Mepc = s.Pc;
        s.Mcause = (uint)cause;
        s.Mtval = value;
        var mie = (s.Mstatus & Rv32Csrs.MstatusMie) != 0;
        s.Mstatus = (s.Mstatus & ~(Rv32Csrs.MstatusMie | Rv32Csrs.MstatusMpie | Rv32Csrs.MstatusMpp))
            | (mie ? Rv32Csrs.MstatusMpie : 0) | (s.Privilege << 11);
        s.Privilege = 3;
        s.Pc = vector;
        hart.Recheck = true;
        return true;
    }

    /// <summary>mret: back to mepc at the privilege in MPP, MIE restored from MPIE.</summary>
    public static void Return(Rv32Hart hart)
    {
        ref var s = ref hart.State;
        s.Privilege = (s.Mstatus >> 11) & 3;
        if (s.Privilege != 3) s.Privilege = 0;
        var mpie = (s.Mstatus & Rv32Csrs.MstatusMpie) != 0;
        s.Mstatus = (s.Mstatus & ~(Rv32Csrs.MstatusMie | Rv32Csrs.MstatusMpp)) | (mpie ? Rv32Csrs.MstatusMie : 0) | Rv32Csrs.MstatusMpie;
        s.Pc = s.Mepc;
        hart.Recheck = true;
    }
}
