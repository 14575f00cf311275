using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VirtualizationWorkbench.Emulation.Cpu;

/// <summary>
/// The interpreter (the Bochs model, in the shape of mini-rv32ima's step function): fetch, decode and execute,
/// one <c>switch</c> on the major opcode, registers and pc in the hart's plain state struct, RAM read in place.
/// Nothing is allocated per instruction. The translator falls back to it for slices shorter than a block.
/// </summary>
public static class Rv32Interpreter
{
    /// <summary>Runs up to <paramref name="count"/> instructions. Returns true when the hart must stop (the exit
    /// is in <see cref="Rv32Hart.PendingExit"/>); false when the count is spent or the run loop must look at
    /// interrupts again (<see cref="Rv32Hart.Recheck"/>).</summary>
    public static bool Run(Rv32Hart hart, ulong count)
    {
        ref var s = ref hart.State;
        ref var x = ref Unsafe.As<Rv32Registers, uint>(ref s.X);
        var memory = hart.Memory;
        var ram = memory.Ram;
        ref var ram0 = ref MemoryMarshal.GetArrayDataReference(ram);
        var codePages = memory.CodePages;
        var ramBase = memory.RamBase;
        var ramSize = memory.RamSize;
        var toHost = memory.ToHost;
        var pc = s.Pc;
        ulong retired = 0;
        ulong extra = 0;
        Rv32TrapCause cause;
        uint trapValue;

        while (retired < count)
        {
            var fetchOffset = pc - ramBase;
            if (fetchOffset > ramSize - 4 || (pc & 3) != 0)
            {
                cause = (pc & 3) != 0 ? Rv32TrapCause.InstructionAddressMisaligned : Rv32TrapCause.InstructionAccessFault;
                trapValue = pc;
                goto Trap;
            }
            var ir = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref ram0, (nint)fetchOffset));
            var rd = (int)((ir >> 7) & 31);
            var rs1 = Unsafe.Add(ref x, (int)((ir >> 15) & 31));
            var rs2 = Unsafe.Add(ref x, (int)((ir >> 20) & 31));
            var next = pc + 4;
            uint result = 0;

            switch (ir & 0x7F)
            {
                case 0x37: // LUI
                    result = ir & 0xFFFF_F000;
                    break;
                case 0x17: // AUIPC
                    result = pc + (ir & 0xFFFF_F000);
                    break;
                case 0x6F: // JAL
                    {
                        var imm = ((ir & 0x8000_0000) >> 11) | ((ir & 0x7FE0_0000) >> 20) | ((ir & 0x0010_0000) >> 9) | (ir & 0x000F_F000);
                        if ((imm & 0x0010_0000) != 0) imm |= 0xFFE0_0000;
                        result = next;
                        next = pc + imm;
                        extra += Rv32Costs.Jump;
                        break;
                    }
                case 0x67: // JALR
                    if (((ir >> 12) & 7) != 0) goto Illegal;
                    result = next;
                    next = (rs1 + (uint)((int)ir >> 20)) & ~1u;
                    extra += Rv32Costs.Jump;
                    break;
                case 0x63: // branches
                    {
                        var imm = ((ir & 0xF00) >> 7) | ((ir & 0x7E00_0000) >> 20) | ((ir & 0x80) << 4) | ((ir >> 31) << 12);
                        if ((imm & 0x1000) != 0) imm |= 0xFFFF_E000;
                        bool taken;
                        switch ((ir >> 12) & 7)
                        {
                            case 0: taken = rs1 == rs2; break;
                            case 1: taken = rs1 != rs2; break;
                            case 4: taken = (int)rs1 < (int)rs2; break;
                            case 5: taken = (int)rs1 >= (int)rs2; break;
                            case 6: taken = rs1 < rs2; break;
                            case 7: taken = rs1 >= rs2; break;
                            default: goto Illegal;
                        }
                        if (taken)
                        {
                            next = pc + imm;
                            extra += Rv32Costs.Jump;
                        }
                        rd = 0;
                        break;
                    }
                case 0x03: // loads
                    {
                        var address = rs1 + (uint)((int)ir >> 20);
                        var offset = address - ramBase;
                        var funct3 = (ir >> 12) & 7;
                        var size = funct3 & 3;
                        if (funct3 == 3 || funct3 > 5) goto Illegal;
                        if (offset <= ramSize - (1u << (int)size))
                        {
                            ref var at = ref Unsafe.Add(ref ram0, (nint)offset);
                            result = funct3 switch
                            {
                                0 => (uint)(sbyte)at,
                                1 => (uint)Unsafe.ReadUnaligned<short>(ref at),
                                2 => Unsafe.ReadUnaligned<uint>(ref at),
                                4 => at,
                                _ => Unsafe.ReadUnaligned<ushort>(ref at),
                            };
                        }
                        else if (memory.TryLoadDevice(address, 1 << (int)size, out var value))
                        {
                            result = funct3 switch { 0 => (uint)(sbyte)value, 1 => (uint)(short)value, _ => value };
                        }
                        else
                        {
                            cause = Rv32TrapCause.LoadAccessFault;
                            trapValue = address;
                            goto Trap;
                        }
                        extra += Rv32Costs.Memory;
                        break;
                    }
                case 0x23: // stores
                    {
                        var address = rs1 + (uint)(((int)ir >> 20 & ~31) | (int)((ir >> 7) & 31));
                        var offset = address - ramBase;
                        var funct3 = (ir >> 12) & 7;
                        if (funct3 > 2) goto Illegal;
                        if (address == toHost && toHost != 0)
                        {
                            retired++;
                            s.Pc = next;
                            Commit(ref s, retired, extra + Rv32Costs.Memory);
                            hart.PendingExit = new Rv32Exit(Rv32ExitReason.ToHost, next, 0, rs2);
                            return true;
                        }
                        if (offset <= ramSize - (1u << (int)funct3))
                        {
                            ref var at = ref Unsafe.Add(ref ram0, (nint)offset);
                            if (funct3 == 0) at = (byte)rs2;
                            else if (funct3 == 1) Unsafe.WriteUnaligned(ref at, (ushort)rs2);
                            else Unsafe.WriteUnaligned(ref at, rs2);
                            if (codePages[offset >> 12] != 0 || codePages[(offset + (1u << (int)funct3) - 1) >> 12] != 0)
                            {
                                // Translated code was overwritten: drop it, and stop so the translator sees the change.
                                memory.CodeWritten?.Invoke(address);
                                retired++;
                                extra += Rv32Costs.Memory;
                                pc = next;
                                goto Stop;
                            }
                        }
                        else if (memory.TryStoreDevice(address, 1 << (int)funct3, rs2))
                        {
                            // A device (the timer's compare register, say) may change when an interrupt is due.
                            retired++;
                            extra += Rv32Costs.Memory;
                            pc = next;
                            goto Stop;
                        }
                        else
                        {
                            cause = Rv32TrapCause.StoreAccessFault;
                            trapValue = address;
                            goto Trap;
                        }
                        extra += Rv32Costs.Memory;
                        rd = 0;
                        break;
                    }
                case 0x13: // register-immediate
                    {
                        var imm = (uint)((int)ir >> 20);
                        switch ((ir >> 12) & 7)
                        {
                            case 0: result = rs1 + imm; break;
                            case 1:
                                if ((ir >> 25) != 0) goto Illegal;
                                result = rs1 << (int)(imm & 31);
                                break;
                            case 2: result = (int)rs1 < (int)imm ? 1u : 0u; break;
                            case 3: result = rs1 < imm ? 1u : 0u; break;
                            case 4: result = rs1 ^ imm; break;
                            case 5:
                                if ((ir >> 25) == 0) result = rs1 >> (int)(imm & 31);
                                else if ((ir >> 25) == 0x20) result = (uint)((int)rs1 >> (int)(imm & 31));
                                else goto Illegal;
                                break;
                            case 6: result = rs1 | imm; break;
                            default: result = rs1 & imm; break;
                        }
                        break;
                    }
                case 0x33: // register-register, and M
                    {
                        var funct7 = ir >> 25;
                        var funct3 = (ir >> 12) & 7;
                        if (funct7 == 1)
                        {
                            result = MultiplyDivide(funct3, rs1, rs2);
                            extra += funct3 < 4 ? Rv32Costs.Multiply : Rv32Costs.Divide;
                            break;
                        }
                        if (funct7 == 0)
                        {
                            result = funct3 switch
                            {
                                0 => rs1 + rs2,
                                1 => rs1 << (int)(rs2 & 31),
                                2 => (int)rs1 < (int)rs2 ? 1u : 0u,
                                3 => rs1 < rs2 ? 1u : 0u,
                                4 => rs1 ^ rs2,
                                5 => rs1 >> (int)(rs2 & 31),
                                6 => rs1 | rs2,
                                _ => rs1 & rs2,
                            };
                        }
                        else if (funct7 == 0x20 && funct3 == 0) result = rs1 - rs2;
                        else if (funct7 == 0x20 && funct3 == 5) result = (uint)((int)rs1 >> (int)(rs2 & 31));
                        else goto Illegal;
                        break;
                    }
                case 0x0F: // FENCE, FENCE.I: one hart, memory in order; FENCE.I is where self-modifying code
                           // announces itself, and stores already invalidate translated code.
                    if (((ir >> 12) & 7) > 1) goto Illegal;
                    rd = 0;
                    break;
                case 0x73: // SYSTEM
                    {
                        var funct3 = (ir >> 12) & 7;
                        if (funct3 == 0)
                        {
                            switch (ir)
                            {
                                case 0x0000_0073:
                                    cause = s.Privilege == 3 ? Rv32TrapCause.EcallFromMachine : Rv32TrapCause.EcallFromUser;
                                    trapValue = 0;
                                    goto Trap;
                                case 0x0010_0073:
                                    cause = Rv32TrapCause.Breakpoint;
                                    trapValue = pc;
                                    goto Trap;
                                case 0x3020_0073 when hart.SystemMode && s.Privilege == 3: // MRET
                                    retired++;
                                    s.Pc = pc;
                                    Commit(ref s, retired, extra + Rv32Costs.Jump);
                                    Rv32Traps.Return(hart);
                                    return false;
                                case 0x1050_0073 when hart.SystemMode: // WFI: the run loop takes the interrupt when due
                                    rd = 0;
                                    break;
                                default:
                                    goto Illegal;
                            }
                            break;
                        }
                        if (funct3 == 4) goto Illegal;
                        var csr = ir >> 20;
                        var operand = funct3 >= 5 ? (ir >> 15) & 31 : rs1;
                        var rs1Field = (ir >> 15) & 31;
                        // CSRRW/CSRRWI with rd = x0 do not read; CSRRS/CSRRC with a zero source do not write.
                        var writes = (funct3 & 3) == 1 || rs1Field != 0;
                        uint old = 0;
                        if (((funct3 & 3) != 1 || rd != 0) && !Rv32Csrs.TryRead(hart, csr, out old)) goto Illegal;
                        if (writes)
                        {
                            var value = (funct3 & 3) switch { 1 => operand, 2 => old | operand, _ => old & ~operand };
                            s.Pc = pc;
                            if (!Rv32Csrs.TryWrite(hart, csr, value)) goto Illegal;
                        }
                        result = old;
                        if (writes)
                        {
                            Unsafe.Add(ref x, rd) = result;
                            x = 0;
                            retired++;
                            pc = next;
                            goto Stop;
                        }
                        break;
                    }
                default:
                    goto Illegal;
            }

            Unsafe.Add(ref x, rd) = result;
            x = 0;
            pc = next;
            retired++;
            continue;

        Illegal:
            cause = Rv32TrapCause.IllegalInstruction;
            trapValue = ir;
            goto Trap;
        }
        s.Pc = pc;
        Commit(ref s, retired, extra);
        return false;

    Stop:
        s.Pc = pc;
        Commit(ref s, retired, extra);
        return false;

    Trap:
        s.Pc = pc;
        Commit(ref s, retired, extra);
        return !Rv32Traps.Deliver(hart, cause, trapValue);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Commit(ref Rv32State s, ulong retired, ulong extra)
    {
        s.Instructions += retired;
        s.Cycles += retired * Rv32Costs.Base + extra;
    }

    /// <summary>The M extension: MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU, with RISC-V's answers for
    /// division by zero (quotient all ones, remainder the dividend) and overflow (-2^31 / -1 = -2^31, rem 0).</summary>
    public static uint MultiplyDivide(uint funct3, uint a, uint b)
    {
        switch (funct3)
        {
            case 0: return a * b;
            case 1: return (uint)((ulong)((long)(int)a * (int)b) >> 32);
            case 2: return (uint)((ulong)((long)(int)a * (long)(ulong)b) >> 32);
            case 3: return (uint)(((ulong)a * b) >> 32);
            case 4:
                if (b == 0) return 0xFFFF_FFFF;
                if (a == 0x8000_0000 && b == 0xFFFF_FFFF) return a;
                return (uint)((int)a / (int)b);
            case 5: return b == 0 ? 0xFFFF_FFFF : a / b;
            case 6:
                if (b == 0) return a;
                if (a == 0x8000_0000 && b == 0xFFFF_FFFF) return 0;
                return (uint)((int)a % (int)b);
            default: return b == 0 ? a : a % b;
        }
    }
}
