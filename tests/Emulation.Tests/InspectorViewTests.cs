using VirtualizationWorkbench.Emulation.Decoding;
using VirtualizationWorkbench.Emulation.Elf;
using VirtualizationWorkbench.Emulation.Inspection;
using VirtualizationWorkbench.Emulation.UserMode;

namespace VirtualizationWorkbench.Emulation.Tests;

public class InspectorViewTests
{
    [Test]
    public void Should_Show_The_Instruction_At_The_Pc_And_Mark_Changed_Registers()
    {
        var process = new LinuxProcess(ElfImage.Load(GuestPrograms.Prebuilt("hello.elf")), ["hello"], Stream.Null, Stream.Null, Stream.Null);
        var view = new Rv32InspectorView(process.Hart);
        view.Refresh();
        process.Hart.Run(3);
        view.Refresh();
        var current = view.Disassembly.Single(l => l.IsCurrent);
        Assert.That(current.Address, Is.EqualTo(process.Hart.State.Pc));
        Assert.That(current.Text, Is.EqualTo(Rv32Disassembler.Disassemble(current.Word!.Value, current.Address)));
        Assert.That(view.Registers.Where(r => r.Changed).Select(r => r.Name), Does.Contain("gp"), "the entry code set gp");
        Assert.That(view.Status, Does.StartWith($"pc 0x{process.Hart.State.Pc:x8} · user mode · 3 instructions"));
    }

    [TestCase(0x00000013u, 0u, "addi zero, zero, 0")]
    [TestCase(0xff010113u, 0u, "addi sp, sp, -16")]
    [TestCase(0x04a7c863u, 0x100f0u, "blt a5, a0, 0x10140")]
    [TestCase(0x00112623u, 0u, "sw ra, 12(sp)")]
    [TestCase(0x02c5d533u, 0u, "divu a0, a1, a2")]
    [TestCase(0x123457b7u, 0u, "lui a5, 0x12345")]
    [TestCase(0xffffffffu, 0u, ".word 0xffffffff")]
    public void Should_Disassemble_As_Objdump_Does(uint word, uint pc, string text)
    {
        Assert.That(Rv32Disassembler.Disassemble(word, pc), Is.EqualTo(text));
    }
}
