using System.Security.Cryptography;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization;
using VirtualizationWorkbench.Machine.Virtualization.FullVirtualization;
using VirtualizationWorkbench.Machine.Virtualization.HardwareAssisted;
using VirtualizationWorkbench.Machine.Virtualization.Paravirtualization;

namespace VirtualizationWorkbench.Machine.Tests.Virtualization;

/// <summary>Resource control (no guest reaches memory its monitor did not give it), shadow coherence, translation
/// invalidation, and determinism under every monitor.</summary>
public class IsolationAndCoherenceTests
{
    private static IEnumerable<TestCaseData> Monitors()
    {
        yield return new TestCaseData(new Func<VirtualMachineMonitor>(() => new TrapAndEmulateMonitor(CostTable.Default))).SetArgDisplayNames("trap-and-emulate");
        yield return new TestCaseData(new Func<VirtualMachineMonitor>(() => new BinaryTranslationMonitor(CostTable.Default))).SetArgDisplayNames("binary-translation");
        yield return new TestCaseData(new Func<VirtualMachineMonitor>(() => new ParavirtualHypervisor(CostTable.Default))).SetArgDisplayNames("paravirtualization");
        yield return new TestCaseData(new Func<VirtualMachineMonitor>(() => new HardwareAssistedHypervisor(CostTable.Default, true))).SetArgDisplayNames("hardware-nested");
        yield return new TestCaseData(new Func<VirtualMachineMonitor>(() => new HardwareAssistedHypervisor(CostTable.Default, false))).SetArgDisplayNames("hardware-shadow");
    }

    // Writes beyond the guest's 4 MiB, directly and through a page-table entry naming a frame it does not own.
    private const string DirectAttack = """
            li r1, 0x00500000
            li r2, 0xBAD0BAD0
            st [r1], r2
            li r1, 0x00FFFFF0
            st [r1], r2
            hlt
        """;

    private const string PageTableAttack = """
            li r1, 0x100000          ; directory
            li r2, 0x101003
            st [r1], r2
            li r1, 0x101000          ; table: page 0 -> guest frame 0x1000 (itself), page 1 -> 0x7FF000 (not the guest's)
            li r2, 0x1003
            st [r1 + 4], r2
            li r2, 0x7FF003
            st [r1 + 8], r2
            li r1, 0x100000
            mov cr3, r1
            li r1, 1
            mov cr0, r1
            li r1, 0x2000
            li r2, 0xBAD0BAD0
            st [r1], r2              ; through the forged entry
            hlt
        """;

    private static string OutsideGuest(VirtualMachineMonitor monitor)
    {
        var ram = monitor.Computer.Memory.Bytes;
        // Everything but the guest's memory and the monitor's own tables.
        var below = ram.AsSpan(0, (int)VirtualMachineMonitor.MonitorMemoryBase);
        var above = ram.AsSpan((int)(monitor.Guest.HostBase + monitor.Guest.Size));
        return Convert.ToHexString(SHA256.HashData(below)) + Convert.ToHexString(SHA256.HashData(above));
    }

    // How a monitor stops an attack at its first forbidden access: resource control names the address outside the
    // guest; shadow paging leaves it unmapped, so the guest takes a page fault it has no handler for; and the
    // paravirtual hypervisor refuses the privileged instruction that would install the forged page table (only that
    // attack has one before its store).
    private static readonly string[] StopReasons = ["resource control: the guest", "triple fault", "triple-faulted"];

    [TestCaseSource(nameof(Monitors))]
    public void A_Guest_Cannot_Write_Outside_Its_Memory(Func<VirtualMachineMonitor> create)
    {
        foreach (var (attack, reasons) in new[] { (DirectAttack, StopReasons), (PageTableAttack, [.. StopReasons, "emulates no privileged instructions: 'mov cr3, r1'"]) })
        {
            var monitor = create();
            var program = Assembler.Assembler.AssembleText(attack);
            monitor.Load(program);
            var before = OutsideGuest(monitor);
            var result = monitor.Run(100_000);
            Assert.That(OutsideGuest(monitor), Is.EqualTo(before), $"{monitor.Name}: memory outside the guest changed ({result})");
            // Memory left alone is not enough: a monitor that dropped the store, or put it somewhere in the guest,
            // and let the guest run on to its hlt would pass the check above.
            Assert.That(result.Outcome, Is.EqualTo(MonitorOutcome.GuestFailed), $"{monitor.Name}: the monitor stopped the guest ({result.Message})");
            Assert.That(reasons.Any(result.Message.Contains), $"{monitor.Name}: stopped for its forbidden access, not something else: {result.Message}");
            Assert.That(result.Message, Does.Not.Contain("0x00fffff0"), $"{monitor.Name}: stopped at the first forbidden store, not a later one");
        }
    }

    [Test]
    public void The_Paravirtual_Hypervisor_Refuses_Unsafe_Page_Table_Updates()
    {
        var monitor = new ParavirtualHypervisor(CostTable.Default);
        var program = Assembler.Assembler.AssembleText("""
                li r1, 0x101000
                li r2, 1
                li r0, 3                 ; pin 0x101000 as a page table
                vmcall
                mov r10, r0
                li r1, batch
                li r2, 1
                li r0, 4                 ; map a frame outside the domain
                vmcall
                mov r11, r0
                li r1, batch2
                li r2, 1
                li r0, 4                 ; map the page table itself writable
                vmcall
                mov r12, r0
                li r1, batch3
                li r2, 1
                li r0, 4                 ; map it read-only: allowed
                vmcall
                mov r13, r0
                li r0, 10
                vmcall
            batch:  .word 0x101004, 0x00800003
            batch2: .word 0x101008, 0x00101003
            batch3: .word 0x101008, 0x00101001
            """);
        monitor.Load(program);
        Assert.That(monitor.Run(10_000).Outcome, Is.EqualTo(MonitorOutcome.Halted));
        var r = monitor.Core.State.R;
        Assert.That((r[10], r[11], r[12], r[13]), Is.EqualTo((0u, 0xFFFFFFFFu, 0xFFFFFFFFu, 1u)));
        Assert.That(monitor.Statistics.Refusals, Is.EqualTo(2));
    }

    private static IEnumerable<TestCaseData> ShadowMonitors()
    {
        yield return new TestCaseData(new Func<VirtualMachineMonitor>(() => new BinaryTranslationMonitor(CostTable.Default))).SetArgDisplayNames("binary-translation");
        yield return new TestCaseData(new Func<VirtualMachineMonitor>(() => new HardwareAssistedHypervisor(CostTable.Default, false))).SetArgDisplayNames("hardware-shadow");
    }

    [TestCaseSource(nameof(ShadowMonitors))]
    public void Shadow_Tables_Agree_With_The_Guest_After_Every_Page_Table_Write(Func<VirtualMachineMonitor> create)
    {
        var path = Path.Combine(TestMachine.RepositoryRoot, "labs", "guests", "microbench.s");
        foreach (var workload in new[] { "PGFAULT", "PTEMOD", "MIXED" })
        {
            var monitor = create();
            var shadow = monitor is BinaryTranslationMonitor bt ? bt.Shadow : ((HardwareAssistedHypervisor)monitor).Shadow!;
            var checks = 0;
            var problems = new List<string>();
            shadow.GuestTableWritten += () =>
            {
                checks++;
                if (shadow.Verify() is { } problem) problems.Add(problem);
            };
            var program = Assembler.Assembler.AssembleText(File.ReadAllText(path), path, new Assembler.AssemblerOptions { Defines = [workload] });
            monitor.Load(program);
            monitor.Guest.ToHost(program.Symbols["iterations"], out var at);
            monitor.Computer.Memory.WriteWord(at, 50);
            var result = monitor.Run(10_000_000);
            Assert.That(result.Outcome, Is.EqualTo(MonitorOutcome.Halted), $"{workload}: {result.Message}");
            Assert.That(checks, Is.GreaterThanOrEqualTo(50), $"{workload}: the guest wrote its page tables");
            Assert.That(problems, Is.Empty, workload);
        }
    }

    [Test]
    public void Writing_Translated_Code_Throws_The_Translation_Away()
    {
        // The first pass executes `pop r6` at patch; then the kernel writes popf over it. A stale translation
        // would run popf natively in ring 1, where it silently keeps the interrupt flag off.
        const string source = """
                li sp, 0x8000
                li r4, 2
            again:
                li r3, 0x200
                push r3
            patch:
                pop r6
                subi r4, r4, 1
                je done
                li r1, patch
                li r2, 0x06000000        ; popf
                st [r1], r2
                jmp again
            done:
                pushf
                pop r5
                hlt
            """;
        var native = new Computer(new MachineConfiguration());
        native.Load(Assembler.Assembler.AssembleText(source));
        native.Run(1000);
        var monitor = new BinaryTranslationMonitor(CostTable.Default);
        monitor.Load(Assembler.Assembler.AssembleText(source));
        monitor.Run(1000);
        Assert.That(native.Cores[0].State.R[5] & Cpu.Flags.IF, Is.Not.Zero, "natively, popf turned interrupts on");
        Assert.That(monitor.Core.State.R[5] & Cpu.Flags.IF, Is.Not.Zero, "under translation too: the stale block was retranslated with popf as a callout");
        Assert.That(monitor.Statistics.TranslationInvalidations, Is.GreaterThanOrEqualTo(1));
    }

    [TestCaseSource(nameof(Monitors))]
    public void Every_Counter_Is_The_Same_On_Every_Run(Func<VirtualMachineMonitor> create)
    {
        string Fingerprint()
        {
            var monitor = create();
            var defines = monitor switch { TrapAndEmulateMonitor => new[] { "TRAP_FRIENDLY" }, ParavirtualHypervisor => ["PARAVIRT"], _ => [] };
            monitor.Load(MonitorTestKit.Minikernel(defines));
            var result = monitor.Run(10_000_000);
            return $"{result}|{monitor.ConsoleOutput}|" + string.Join(",", monitor.Core.Counters.Describe().Concat(monitor.Statistics.Describe()).Select(p => $"{p.Key}={p.Value}"));
        }
        var first = Fingerprint();
        var second = Fingerprint();
        Assert.That(second, Is.EqualTo(first));
    }
}
