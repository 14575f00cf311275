using NUnit.Framework;
using VirtualizationWorkbench.Grading;
using static VirtualizationWorkbench.Labs.IntegerUnit.Grading.Rv32Reference;

namespace VirtualizationWorkbench.Labs.IntegerUnit.Grading;

/// <summary>Grades <see cref="IntegerUnit"/> instruction by instruction against the workbench's RV32 interpreter,
/// on operands, registers, immediates and addresses drawn from the grading run's seed.</summary>
[TestFixture]
public sealed partial class IntegerUnitTests
{
    // Runs one word on seeded registers under the student's unit and the reference, and observes whether the
    // unit took it and the destination register (or, for a word the unit must refuse, the whole register file).
    private static void Check(uint word, uint[] registers, uint pc)
    {
        var (handled, after) = Student(word, registers, pc);
        var (expectedHandled, expected) = Execute(word, registers, pc);
        var rd = (int)(word >> 7) & 31;
        Observe.That(handled, Is.EqualTo(expectedHandled), $"Execute({Text(word, pc)}) returned {handled}");
        if (expectedHandled)
        {
            Observe.That(after[rd], Is.EqualTo(expected[rd]),
                $"{Text(word, pc)} with rs1 = 0x{registers[(word >> 15) & 31]:x8}, rs2 = 0x{registers[(word >> 20) & 31]:x8}: x{rd}");
        }
        Observe.That(after, Is.EqualTo(expected), $"{Text(word, pc)}: the registers afterwards (only rd may change)");
    }

    [Test]
    [Property("Points", 3)]
    [Property("Hint", "OP-IMM: the immediate is bits 31-20, sign-extended ((int)word >> 20). sltiu compares unsigned after sign extension; srai is funct3 5 with bits 31-25 = 0x20.")]
    [Property("Visibility", "visible")]
    public void Register_Immediate_Instructions()
    {
        foreach (var funct3 in new uint[] { 0, 2, 3, 4, 6, 7, 0, 2, 3, 4, 6, 7 })
        {
            Check(TypeI(0x13, Register(), funct3, Register(), Inputs.Next(-2048, 2048)), Registers(), Pc());
        }
        Check(TypeI(0x13, Register(), 1, Register(), Inputs.Next(0, 32)), Registers(), Pc());
        Check(TypeI(0x13, Register(), 5, Register(), Inputs.Next(0, 32)), Registers(), Pc());
        Check(TypeI(0x13, Register(), 5, Register(), 0x400 | Inputs.Next(0, 32)), Registers(), Pc());
    }

    [Test]
    [Property("Points", 3)]
    [Property("Hint", "OP with funct7 0: add sll slt sltu xor srl or and by funct3; funct7 0x20: sub (0) and sra (5). Shifts take only the low 5 bits of rs2.")]
    [Property("Visibility", "visible")]
    public void Register_Register_Instructions()
    {
        for (var draw = 0; draw < 16; draw++)
        {
            Check(TypeR(0x33, Register(), (uint)draw % 8, Register(), Register(), 0x00), Registers(), Pc());
        }
        Check(TypeR(0x33, Register(), 0, Register(), Register(), 0x20), Registers(), Pc());
        Check(TypeR(0x33, Register(), 5, Register(), Register(), 0x20), Registers(), Pc());
    }

    [Test]
    [Property("Points", 3)]
    [Property("Hint", "funct7 1: mulh/mulhsu/mulhu are the high 32 bits of a 64-bit product (signed×signed, signed×unsigned, unsigned×unsigned). Division by zero: quotient all ones, remainder the dividend; -2^31 / -1: quotient -2^31, remainder 0.")]
    [Property("Visibility", "visible")]
    public void Multiply_And_Divide()
    {
        // Four draws per instruction: a high half differs between mulh, mulhsu and mulhu only for some signs.
        for (var draw = 0; draw < 32; draw++)
        {
            var funct3 = (uint)draw % 8;
            var x = Registers();
            var (rs1, rs2) = (Register(), Register());
            // Half the divisions meet RISC-V's special cases: a zero divisor, or -2^31 / -1.
            if (funct3 >= 4 && rs1 != rs2 && Inputs.Next(0, 2) == 0)
            {
                (x[rs1], x[rs2]) = Inputs.Next(0, 2) == 0 ? (x[rs1], 0u) : (0x8000_0000u, uint.MaxValue);
            }
            // And the high halves meet a negative (or, unsigned, a large) operand on each side at least once.
            if (funct3 is >= 1 and <= 3 && draw >= 8 && rs1 != rs2)
            {
                x[rs1] |= 0x8000_0000;
                x[rs2] |= 0x8000_0000;
            }
            Check(TypeR(0x33, Register(), funct3, rs1, rs2, 0x01), x, Pc());
        }
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "LUI puts bits 31-12 of the word in rd with the low 12 bits zero; AUIPC adds that to the instruction's own address.")]
    [Property("Visibility", "visible")]
    public void Upper_Immediates()
    {
        Check(TypeU(0x37, Register(), Value()), Registers(), Pc());
        Check(TypeU(0x17, Register(), Value()), Registers(), Pc());
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "x0 is hardwired to zero: a write to it is dropped (but the instruction is still executed: return true).")]
    [Property("Visibility", "visible")]
    public void Writes_To_X0_Are_Dropped()
    {
        Check(TypeI(0x13, 0, 0, Register(), Inputs.Next(-2048, 2048)), Registers(), Pc());
        Check(TypeR(0x33, 0, (uint)Inputs.Next(0, 8), Register(), Register(), 0x01), Registers(), Pc());
        Check(TypeU(0x37, 0, Value()), Registers(), Pc());
        Check(TypeR(0x33, Register(), 0, 0, Register(), 0x00), Registers(), Pc());
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "Return false and change nothing for other opcodes (loads 0x03, stores 0x23, branches 0x63, jal 0x6F, jalr 0x67, system 0x73) and for encodings the group leaves undefined (OP with funct7 other than 0, 0x20 for sub/sra, 1; slli/srli/srai with other bits 31-25).")]
    [Property("Visibility", "visible")]
    public void Other_Words_Are_Refused()
    {
        foreach (var opcode in new uint[] { 0x03, 0x23, 0x63, 0x6F, 0x67, 0x73 })
        {
            Check(Value() & ~0x7Fu | opcode, Registers(), Pc());
        }
        Check(TypeR(0x33, Register(), (uint)Inputs.Choose(1, 2, 3, 4, 6, 7), Register(), Register(), 0x20), Registers(), Pc());
        Check(TypeR(0x33, Register(), (uint)Inputs.Next(0, 8), Register(), Register(), (uint)Inputs.Choose(0x02, 0x10, 0x40, 0x7F)), Registers(), Pc());
        Check(TypeI(0x13, Register(), Inputs.Choose(1u, 5u), Register(), Inputs.Choose(0x040, 0x200, 0x800) | Inputs.Next(0, 32)), Registers(), Pc());
    }
}
