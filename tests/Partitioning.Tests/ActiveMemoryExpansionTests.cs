using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Partitioning.Memory;

namespace VirtualizationWorkbench.Partitioning.Tests;

public sealed class ActiveMemoryExpansionTests
{
    // 4 blocks of true memory: 48 frames uncompressed, 16 pages' worth of compressed pool; factor 2: 128 pages.
    private const long Instructions = 200_000;

    private static uint Word(PartitionFirmware firmware, string symbol) =>
        firmware.ReadLogicalWord(firmware.Partitions[0], firmware.Partitions[0].Program!.Symbols[symbol]);

    private static (PartitionFirmware Firmware, LogicalPartition Partition) Run(int pages, PageData data, long instructions = Instructions, ExpansionCosts? costs = null, Machine.Cpu.ExecutionEngine engine = Machine.Cpu.ExecutionEngine.Interpreter)
    {
        var firmware = ExpansionTrial.Run(pages, data, factor: 2.0, instructions, costs, engine);
        return (firmware, firmware.Partitions[0]);
    }

    private static string Counters(LogicalPartition p)
    {
        var e = p.Expansion!;
        return $"{p.State} U {e.U} C {e.C:F2} r {e.Ratio:F2} faults {e.Faults} compress {e.Compressions} decompress {e.Decompressions} zero {e.ZeroFills} cycles {e.Cycles} of {p.Cycles}";
    }

    [Test]
    public void An_Expanded_Guest_Runs_In_Twice_Its_Memory_And_Its_Pages_Come_Back_Intact()
    {
        // 80 working pages of text, visited round-robin: far more than the 48 frames, so each visit decompresses a
        // page and compresses another; the guest checks every page's count as it comes back.
        var (firmware, a) = Run(80, PageData.Text);
        var e = a.Expansion!;
        Assert.Multiple(() =>
        {
            Assert.That(a.State, Is.EqualTo(PartitionState.Running), a.Fault);
            Assert.That(a.Pages, Is.EqualTo(128));
            Assert.That(Word(firmware, "limit"), Is.EqualTo(128u * 4096), "the guest was told it has 512 KiB: twice its 256 KiB");
            Assert.That(e.Decompressions, Is.GreaterThan(500), Counters(a));
            Assert.That(Word(firmware, "corrupt"), Is.Zero, "every page came back as it went");
            Assert.That(a.Console, Does.StartWith("tick 0\ntick 1\n"));
            Assert.That(e.U, Is.EqualTo(48));
            Assert.That(e.Ratio, Is.GreaterThan(2), "a quarter page of text compresses well");
            Assert.That(e.AchievedFactor, Is.EqualTo(e.FormulaFactor).Within(1e-9), "(U + C·r) / (U + C)");
            Assert.That(e.AchievedFactor, Is.GreaterThan(1.4), "81 pages held (the working pages, the code, the stack) in 48 frames and the compressed bytes");
        });
    }

    [Test]
    public void Compressing_And_Decompressing_Cost_The_Waiting_Guest_Cycles_In_Virtual_Time()
    {
        var (_, free) = Run(80, PageData.Text, costs: new ExpansionCosts(0, 0));
        var (_, paid) = Run(80, PageData.Text);
        var e = paid.Expansion!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Cycles, Is.GreaterThan(0));
            Assert.That(paid.Cycles - free.Cycles, Is.EqualTo(e.Cycles), "the same instructions, slower by exactly what the guest waited for");
            Assert.That(e.Cycles + e.FirmwareCycles, Is.EqualTo((ulong)(e.Compressions * 49_152 + e.Decompressions * 12_288)), "12 cycles a byte to compress a page, 3 to decompress it");
        });
    }

    [Test]
    public void A_Working_Set_That_Fits_Costs_Nothing_Once_Warm_And_One_That_Does_Not_Pays_At_Every_Visit()
    {
        // The knee: 40 working pages (with the code and the stack, 42 of 48 frames) against 60.
        (PartitionFirmware, LogicalPartition) Warm(int pages, out ulong before)
        {
            var (firmware, p) = Run(pages, PageData.Text);
            before = p.Expansion!.Cycles;
            firmware.Run(Instructions);
            return (firmware, p);
        }
        var (fitsFirmware, fits) = Warm(40, out var fitsBefore);
        var (overFirmware, over) = Warm(60, out var overBefore);
        Assert.Multiple(() =>
        {
            Assert.That(fits.Expansion!.Cycles, Is.EqualTo(fitsBefore), "nothing in use is compressed: the clock keeps it");
            Assert.That(fits.Expansion.U, Is.EqualTo(42), "the working pages, the code and the stack");
            Assert.That(over.Expansion!.Cycles - overBefore, Is.GreaterThan(100 * 49_152ul), Counters(over));
            Assert.That(Word(overFirmware, "corrupt") + Word(fitsFirmware, "corrupt"), Is.Zero);
        });
    }

    [Test]
    public void Random_Pages_Do_Not_Expand_And_Overflow_The_Compressed_Pool()
    {
        var (firmware, a) = Run(80, PageData.Random, Instructions / 4);
        var e = a.Expansion!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Ratio, Is.EqualTo(1.0), "kept whole");
            Assert.That(e.AchievedFactor, Is.EqualTo(1.0).Within(1e-9));
            Assert.That(e.Deficit, Is.GreaterThan(0), "more pages than the compressed pool's 16 pages of bytes");
            Assert.That(Word(firmware, "corrupt"), Is.Zero);
        });
    }

    [Test]
    public void Two_Runs_And_Both_Engines_Give_The_Same_Counters_And_Memory()
    {
        static string Once(Machine.Cpu.ExecutionEngine engine)
        {
            var (firmware, a) = Run(70, PageData.Text, Instructions / 2, engine: engine);
            return Counters(a) + a.Expansion!.CompressedBytes + firmware.HashOf(a) + a.Console;
        }
        var first = Once(Machine.Cpu.ExecutionEngine.Interpreter);
        Assert.That(Once(Machine.Cpu.ExecutionEngine.Interpreter), Is.EqualTo(first));
        Assert.That(Once(Machine.Cpu.ExecutionEngine.Translator), Is.EqualTo(first));
    }

    [Test]
    public void Bad_Requests_Are_Refused_Saying_What_And_Where_And_Nothing_Changes()
    {
        var firmware = new PartitionFirmware(new MachineConfiguration { MemorySize = 1024 * 1024, Cores = 2 });
        string Refusal(double factor, int compressed, int blocks = 4) =>
            Assert.Throws<PartitionError>(() => firmware.ActivateExpanded(PartitionFirmwareTests.Profile("x", blocks), PartitionGuests.Ams, factor, compressed))!.Message;
        Assert.Multiple(() =>
        {
            Assert.That(Refusal(0.5, 1), Does.Contain("profile 'x': active memory expansion: the expansion factor is 1.00 to 10.00 in steps of 0.01, not 0.5"));
            Assert.That(Refusal(1.005, 1), Does.Contain("steps of 0.01"));
            Assert.That(Refusal(10.01, 1), Does.Contain("not 10.01"));
            Assert.That(Refusal(2, 0), Does.Contain("the compressed pool takes 1 to 3 of its 4 blocks"));
            Assert.That(Refusal(2, 4), Does.Contain("not 4"));
            Assert.That(Refusal(10, 1, blocks: 8), Does.Contain("1280 pages, more than the 1024"));
            Assert.That((firmware.Partitions.Count, firmware.FreeBlocks), Is.EqualTo((0, 15)), "nothing reserved");
        });
        var a = firmware.ActivateExpanded(PartitionFirmwareTests.Profile("a", 4), PartitionGuests.Ams, 2, 1);
        var dlpar = new DynamicReallocation(firmware);
        var target = new PartitionFirmware(new MachineConfiguration { MemorySize = 2 * 1024 * 1024, Cores = 1 });
        var move = new Migration.PartitionMigration(firmware, target, new Migration.MigrationOptions(Migration.MigrationMode.PreCopy, new Migration.MigrationLink(1000), Migration.StopRule.Parse("xen")));
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<PartitionError>(() => dlpar.AddMemory(a, 1))!.Message, Does.Contain("'a': it runs with active memory expansion"));
            Assert.That(Assert.Throws<PartitionError>(() => move.Move(a))!.Message, Does.Contain("active memory expansion"));
        });
        firmware.Release(a);
        Assert.That((firmware.Partitions.Count, firmware.FreeBlocks), Is.EqualTo((0, 15)));
    }
}
