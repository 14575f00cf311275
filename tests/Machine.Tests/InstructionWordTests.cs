using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Tests;

/// <summary>The instruction word's fields, checked against the layout written out by hand:
/// opcode[31:24] rd[23:20] rs[19:16] imm16[15:0].</summary>
public class InstructionWordTests
{
    [Test]
    public void Fields_Come_From_Their_Bits()
    {
        var word = new InstructionWord(0x28_7_3_FFF5u);   // add, rd 7, rs 3, imm16 0xFFF5
        Assert.Multiple(() =>
        {
            Assert.That(word.Opcode, Is.EqualTo(Opcode.Add));
            Assert.That(word.Rd, Is.EqualTo(7));
            Assert.That(word.Rs, Is.EqualTo(3));
            Assert.That(word.Rt, Is.EqualTo(5));
            Assert.That(word.Imm16, Is.EqualTo(0xFFF5u), "zero-extended");
            Assert.That(word.SignedImm16, Is.EqualTo(unchecked((uint)-11)), "sign-extended");
            Assert.That(word.BranchOffset, Is.EqualTo(unchecked((uint)-44)), "words, in bytes");
            Assert.That(word.ShiftCount, Is.EqualTo(21));
            Assert.That(word.Vector, Is.EqualTo(0xF5));
        });
        Assert.That(new InstructionWord(0x0000_7FFFu).BranchOffset, Is.EqualTo(0x1FFFCu), "the largest forward branch");
    }

    [Test]
    public void Encoding_Puts_Each_Field_In_Its_Bits_And_Cuts_It_To_Width()
    {
        Assert.That(InstructionWord.Encode(Opcode.Ld, 1, 2, unchecked((uint)-8)).Value, Is.EqualTo((uint)Opcode.Ld << 24 | 1u << 20 | 2u << 16 | 0xFFF8));
        Assert.That(InstructionWord.Encode(Opcode.Mov, 17, -1, 0x1_2345).Value, Is.EqualTo((uint)Opcode.Mov << 24 | 1u << 20 | 15u << 16 | 0x2345));
        foreach (var value in new[] { 0u, 0xFFFF_FFFFu, 0x1234_5678u, 0x8000_8000u })
        {
            var word = new InstructionWord(value);
            Assert.That(InstructionWord.Encode(word.Opcode, word.Rd, word.Rs, word.Imm16).Value, Is.EqualTo(value), "decoding and encoding agree");
        }
    }
}
