using System.Text;
using NUnit.Framework;
using VirtualizationWorkbench.Grading;
using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Labs.TrapAndEmulate.Grading;

/// <summary>Grades <see cref="PrivilegedEmulator"/> by running small ring-1 guests under <see cref="DeprivilegedGuest"/>.
/// Each check goes through <see cref="Observe"/>, so an instructor's grading judges it against the reference solution;
/// the guests' numbers, registers and text come from <see cref="Inputs"/>, so they differ from one grading run to the
/// next.</summary>
[TestFixture]
public sealed partial class PrivilegedEmulatorTests
{
    private const uint ProgramBase = 0x1000;

    private static (DeprivilegedGuest Guest, PrivilegedEmulator Emulator, GuestEnd End, string? Reason) Run(string source)
    {
        var guest = new DeprivilegedGuest(source);
        var emulator = new PrivilegedEmulator();
        var (end, reason) = guest.Run(emulator);
        return (guest, emulator, end, reason);
    }

    private static string Nops(int count) => string.Concat(Enumerable.Repeat("nop\n", count));

    // A word of seeded letters, for guests to print.
    private static string Word()
    {
        var letters = new char[Inputs.Next(4, 16)];
        for (var i = 0; i < letters.Length; i++) letters[i] = (char)Inputs.Next('a', 'z' + 1);
        return new string(letters);
    }

    // A general register from r1 to r13 (r14 is the guests' scratch, r15 the stack pointer), other than those taken.
    private static int Register(params int[] taken)
    {
        while (true)
        {
            var r = Inputs.Next(1, 14);
            if (!taken.Contains(r)) return r;
        }
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "hlt: set vcpu.Halted = true, move the pc past it and return true.")]
    [Property("Visibility", "visible")]
    public void Hlt_Halts_The_Guest()
    {
        var nops = Inputs.Next(0, 40);
        var (guest, _, end, reason) = Run(Nops(nops) + "hlt\n");
        Observe.That(end, Is.EqualTo(GuestEnd.Halted), reason);
        Observe.That(guest.Core.State.Pc, Is.EqualTo(ProgramBase + 4u * (uint)(nops + 1)), "the pc moved past hlt");
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "cli and sti change vcpu.InterruptsEnabled, never the real flags.")]
    [Property("Visibility", "visible")]
    public void Cli_And_Sti_Change_The_Virtual_Interrupt_Flag()
    {
        var count = Inputs.Next(4, 13);
        var turnsOn = new bool[count];
        for (var i = 0; i < count; i++) turnsOn[i] = Inputs.Next(0, 2) == 1;
        var on = Inputs.Next(0, count);
        turnsOn[on] = true;
        turnsOn[(on + Inputs.Next(1, count)) % count] = false;
        var source = new StringBuilder();
        var expected = new StringBuilder();
        foreach (var sti in turnsOn)
        {
            source.Append(sti ? "sti\n" : "cli\n").Append(Nops(Inputs.Next(0, 3)));
            expected.Append(sti ? '1' : '0');
        }
        expected.Append(expected[^1]);   // hlt leaves the flag as it was
        var (guest, _, end, reason) = Run(source + "hlt\n");
        Observe.That(end, Is.EqualTo(GuestEnd.Halted), reason);
        Observe.That(guest.InterruptFlagTrace, Is.EqualTo(expected.ToString()), "the virtual IF after each cli, sti and hlt: sti turns it on, cli off");
        Observe.That(guest.Core.State.Flags & Flags.IF, Is.Not.Zero, "the real IF stays on: it belongs to the monitor");
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "out 0x3F8, rs: the port is the low 16 bits, rs is bits 19-16; append (char)(value & 0xFF) to the console.")]
    [Property("Visibility", "visible")]
    public void Out_To_The_Console_Prints()
    {
        var word = Word();
        var elsewhere = Inputs.Next(0, word.Length);
        var source = new StringBuilder();
        for (var i = 0; i < word.Length; i++)
        {
            var r = Register();
            source.Append($"li r{r}, {(int)word[i]}\nout 0x3F8, r{r}\n");
            if (i == elsewhere) source.Append($"out {Inputs.Next(0x40, 0x3F8)}, r{r}\n");
        }
        var (_, emulator, end, reason) = Run(source + "hlt\n");
        Observe.That(end, Is.EqualTo(GuestEnd.Halted), reason);
        Observe.That(emulator.Console, Is.EqualTo(word), "what went to port 0x3F8, and nothing of the other port");
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "in rd, port: rd is bits 23-20; the status port 0x3F9 reads 2, any other port 0xFFFFFFFF.")]
    [Property("Visibility", "visible")]
    public void In_Reads_The_Console_Status()
    {
        var status = Register();
        var other = Register(status);
        var (plus, more) = (Inputs.Next(1, 1000), Inputs.Next(1, 1000));
        var (guest, _, end, reason) = Run($"""
            in r{status}, 0x3F9
            in r{other}, {Inputs.Next(0x40, 0x3F8)}
            li r14, {plus}
            add r{status}, r{status}, r14
            li r14, {more}
            add r{other}, r{other}, r14
            hlt
            """);
        Observe.That(end, Is.EqualTo(GuestEnd.Halted), reason);
        Observe.That(
            (guest.Core.State.R[status], guest.Core.State.R[other]),
            Is.EqualTo((2u + (uint)plus, 0xFFFFFFFFu + (uint)more)),
            "the guest added its own numbers to what it read: 2 from the status port, 0xFFFFFFFF from any other");
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "mov crN, rs has the control-register number in the rd field; write the vcpu's register, never core.State's.")]
    [Property("Visibility", "visible")]
    public void Control_Registers_And_The_Table_Go_To_The_Virtual_Cpu()
    {
        var cr3 = (uint)Inputs.Next(1, 256) << 12;
        var ksp = (uint)Inputs.Next(0x400, 0x3C000) << 2;
        var idt = (uint)Inputs.Next(0x100, 0x20000) << 3;
        var (guest, _, end, reason) = Run($"li r1, {cr3}\nmov cr3, r1\nli r2, {ksp}\nmov ksp, r2\nli r3, {idt}\nlidt r3\nhlt\n");
        Observe.That(end, Is.EqualTo(GuestEnd.Halted), reason);
        Observe.That((guest.Vcpu.Cr3, guest.Vcpu.Ksp, guest.Vcpu.Idtr), Is.EqualTo((cr3, ksp, idt)));
        Observe.That((guest.Core.State.Cr3, guest.Core.State.Ksp, guest.Core.State.Idtr), Is.EqualTo((0u, 0u, 0u)), "the real registers are the monitor's");
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "mov rd, crN has the control-register number in the rs field.")]
    [Property("Visibility", "visible")]
    public void Reading_A_Control_Register_Reads_The_Virtual_One()
    {
        var cr3 = (uint)Inputs.Next(1, 256) << 12;
        var priority = (uint)Inputs.Next(1, 16);
        var (guest, _, end, reason) = Run($"li r1, {cr3}\nmov cr3, r1\nli r2, {priority}\nmov cr8, r2\nmov r7, cr3\nmov r8, cr0\nmov r9, cr8\nhlt\n");
        Observe.That(end, Is.EqualTo(GuestEnd.Halted), reason);
        Observe.That((guest.Core.State.R[7], guest.Core.State.R[8], guest.Core.State.R[9]), Is.EqualTo((cr3, 0u, priority)));
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "Return false for anything not in the table, and leave the pc and the registers where they are.")]
    [Property("Visibility", "visible")]
    public void Other_Faults_Are_Not_Emulated()
    {
        var nops = Inputs.Next(2, 20);
        var guest = new DeprivilegedGuest(Nops(nops));
        var at = ProgramBase + 4u * (uint)Inputs.Next(0, nops);
        var rd = Register();
        var value = (uint)Inputs.Next(1, int.MaxValue);
        guest.Core.State.Pc = at;
        guest.Core.State.R[rd] = value;
        var emulator = new PrivilegedEmulator();
        Observe.That(emulator.Emulate(guest.Core, guest.Vcpu, (uint)Opcode.Invtlb << 24 | (uint)rd << 16), Is.False, "invtlb is not in the table");
        Observe.That(emulator.Emulate(guest.Core, guest.Vcpu, (uint)Opcode.Add << 24 | (uint)rd << 20 | (uint)rd << 16), Is.False, "add is not privileged");
        Observe.That((guest.Core.State.Pc, guest.Core.State.R[rd]), Is.EqualTo((at, value)), "nothing moved");
    }
}
