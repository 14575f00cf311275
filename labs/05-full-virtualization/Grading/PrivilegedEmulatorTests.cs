using NUnit.Framework;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Labs.TrapAndEmulate.Grading;

/// <summary>Grades <see cref="PrivilegedEmulator"/> by running small ring-1 guests under <see cref="DeprivilegedGuest"/>.</summary>
[TestFixture]
public sealed partial class PrivilegedEmulatorTests
{
    private static (DeprivilegedGuest Guest, PrivilegedEmulator Emulator, GuestEnd End, string? Reason) Run(string source)
    {
        var guest = new DeprivilegedGuest(source);
        var emulator = new PrivilegedEmulator();
        var (end, reason) = guest.Run(emulator);
        return (guest, emulator, end, reason);
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "hlt: set vcpu.Halted = true, move the pc past it and return true.")]
    [Property("Visibility", "visible")]
    public void Hlt_Halts_The_Guest()
    {
        var (guest, _, end, reason) = Run("nop\nhlt\n");
        Observe.That(end, Is.EqualTo(GuestEnd.Halted), reason);
        Observe.That(guest.Core.State.Pc, Is.EqualTo(0x1008u), "the pc moved past hlt");
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "cli and sti change vcpu.InterruptsEnabled, never the real flags.")]
    [Property("Visibility", "visible")]
    public void Cli_And_Sti_Change_The_Virtual_Interrupt_Flag()
    {
        var (guest, _, end, reason) = Run("sti\nhlt\n");
        Observe.That(end, Is.EqualTo(GuestEnd.Halted), reason);
        Observe.That(guest.Vcpu.InterruptsEnabled, Is.True, "sti turned the virtual IF on");
        var (again, _, _, _) = Run("sti\ncli\nhlt\n");
        Observe.That(again.Vcpu.InterruptsEnabled, Is.False, "cli turned it off");
        Observe.That(again.Core.State.Flags & Machine.Cpu.Flags.IF, Is.Not.Zero, "the real IF stays on: it belongs to the monitor");
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "out 0x3F8, rs: the port is the low 16 bits, rs is bits 19-16; append (char)(value & 0xFF) to the console.")]
    [Property("Visibility", "visible")]
    public void Out_To_The_Console_Prints()
    {
        var (_, emulator, end, reason) = Run("li r1, 'o'\nout 0x3F8, r1\nli r2, 'k'\nout 0x3F8, r2\nout 0x99, r2\nhlt\n");
        Observe.That(end, Is.EqualTo(GuestEnd.Halted), reason);
        Observe.That(emulator.Console, Is.EqualTo("ok"));
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "in rd, port: rd is bits 23-20; the status port 0x3F9 reads 2, any other port 0xFFFFFFFF.")]
    [Property("Visibility", "visible")]
    public void In_Reads_The_Console_Status()
    {
        var (guest, _, end, reason) = Run("in r5, 0x3F9\nin r6, 0x1234\nhlt\n");
        Observe.That(end, Is.EqualTo(GuestEnd.Halted), reason);
        Observe.That((guest.Core.State.R[5], guest.Core.State.R[6]), Is.EqualTo((2u, 0xFFFFFFFFu)));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "mov crN, rs has the control-register number in the rd field; write the vcpu's register, never core.State's.")]
    [Property("Visibility", "visible")]
    public void Control_Registers_And_The_Table_Go_To_The_Virtual_Cpu()
    {
        var (guest, _, end, reason) = Run("li r1, 0x5000\nmov cr3, r1\nli r2, 0x9000\nmov ksp, r2\nli r3, 0x7000\nlidt r3\nhlt\n");
        Observe.That(end, Is.EqualTo(GuestEnd.Halted), reason);
        Observe.That((guest.Vcpu.Cr3, guest.Vcpu.Ksp, guest.Vcpu.Idtr), Is.EqualTo((0x5000u, 0x9000u, 0x7000u)));
        Observe.That((guest.Core.State.Cr3, guest.Core.State.Ksp, guest.Core.State.Idtr), Is.EqualTo((0u, 0u, 0u)), "the real registers are the monitor's");
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "mov rd, crN has the control-register number in the rs field.")]
    [Property("Visibility", "visible")]
    public void Reading_A_Control_Register_Reads_The_Virtual_One()
    {
        var (guest, _, end, reason) = Run("li r1, 0x4000\nmov cr3, r1\nmov r7, cr3\nmov r8, cr0\nhlt\n");
        Observe.That(end, Is.EqualTo(GuestEnd.Halted), reason);
        Observe.That((guest.Core.State.R[7], guest.Core.State.R[8]), Is.EqualTo((0x4000u, 0u)));
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "Return false for anything not in the table, and leave the pc where it is.")]
    [Property("Visibility", "visible")]
    public void Other_Faults_Are_Not_Emulated()
    {
        var guest = new DeprivilegedGuest("nop\n");
        var emulator = new PrivilegedEmulator();
        var word = (uint)Machine.Cpu.Opcode.Invtlb << 24;
        Observe.That(emulator.Emulate(guest.Core, guest.Vcpu, word), Is.False, "invtlb is not in the table");
        Observe.That(emulator.Emulate(guest.Core, guest.Vcpu, (uint)Machine.Cpu.Opcode.Add << 24), Is.False, "add is not privileged");
        Observe.That(guest.Core.State.Pc, Is.EqualTo(0x1000u), "nothing moved");
    }
}
