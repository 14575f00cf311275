using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Partitioning.Processors;

namespace VirtualizationWorkbench.Partitioning.Tests;

public sealed class ProcessorDispatcherTests
{
    // A 0.5 ms window keeps the tests fast; the arithmetic is the same as at POWER's 10 ms. Its rounding (0.01 units,
    // 500 cycles) covers what the last window's dispatches overshoot (an entry into the guest, 400 cycles, and the
    // instruction each ends in), which the dispatcher would take back from the next window.
    private const ulong Window = 50_000;
    private const int Windows = 20;

    // A guest that halts at once: its partition wants nothing and cedes its entitlement.
    private static readonly ProgramImage Idle = Assembler.AssembleText(".org 0x1000\nhlt\n");

    private static PartitionProfile Profile(string name, int processors) =>
        PartitionFirmwareTests.Profile(name, 2, processors) with { MaxCores = processors };

    // Busy partitions (lpar.s counts on every processor) in a pool of `poolCores`, each (name, entitlement, capped,
    // weight, virtual processors), run for `windows` windows.
    private static (PartitionFirmware Firmware, ProcessorDispatcher Pool, LogicalPartition[] Partitions) Run(int poolCores, (string Name, double Entitlement, bool Capped, int Weight, int Processors)[] specs, int windows = Windows)
    {
        var firmware = PartitionFirmwareTests.Machine(2, poolCores + 1);
        var pool = firmware.CreateSharedProcessorPool(poolCores, Window);
        var partitions = specs.Select(s => firmware.ActivateMicroPartition(Profile(s.Name, s.Processors), s.Name.StartsWith("idle") ? Idle : PartitionGuests.Lpar, s.Entitlement, s.Capped, s.Weight)).ToArray();
        pool.Run(windows);
        return (firmware, pool, partitions);
    }

    // What `units` processing units come to over the run, and the tolerance: one window's rounding (0.01 units).
    private static ulong Cycles(double units, int windows = Windows) => (ulong)Math.Round(units * 100) * (Window / 100) * (ulong)windows;

    private const ulong Rounding = Window / 100;

    [Test]
    public void The_Hmc_Example_Comes_Out_Of_Running_Guests()
    {
        // As SharedProcessorPoolTests' example, but measured: a capped partition uses 2.05 of 3 cores, two uncapped
        // ones are entitled to 0.10 each and want their 3 virtual processors; 0.75 units are spare, split 200 to 100.
        var (_, pool, p) = Run(3, [("busy", 2.05, true, 128, 3), ("a", 0.10, false, 200, 3), ("b", 0.10, false, 100, 3)]);
        Assert.Multiple(() =>
        {
            foreach (var partition in p) Assert.That(partition.State, Is.EqualTo(PartitionState.Running), partition.Fault);
            Assert.That(pool.LastShares.Select(s => (s.Name, s.Entitled, s.Uncapped)), Is.EqualTo(new[] { ("busy", 2.05, 0.0), ("a", 0.10, 0.50), ("b", 0.10, 0.25) }));
            Assert.That(p[0].DispatchedCycles, Is.EqualTo(Cycles(2.05)).Within(Rounding));
            Assert.That(p[1].DispatchedCycles, Is.EqualTo(Cycles(0.60)).Within(Rounding), "a: 0.10 entitled + 0.50 of the spare");
            Assert.That(p[2].DispatchedCycles, Is.EqualTo(Cycles(0.35)).Within(Rounding), "b: 0.10 entitled + 0.25 of the spare");
            Assert.That(pool.IdleCycles, Is.LessThan(Rounding), "the pool is kept busy");
            // Every virtual processor ran: lpar.s's secondaries count on processors 1 and 2.
            Assert.That(p[1].Cores.Select(c => c.GuestState.Pc).Distinct().Count(), Is.GreaterThan(1));
        });
    }

    [Test]
    public void A_Capped_Partition_Never_Exceeds_Its_Entitlement_While_An_Uncapped_One_Takes_The_Idle_Capacity()
    {
        // Two cores: idle (entitled 0.80, halted at once), capped (0.40) and uncapped (0.40, weight 1, 2 processors).
        // The idle one cedes its 0.80; the capped one gets none of it even though it wants a whole core.
        // The idle guest halts in the first window (which it was entitled to); from the next on it wants nothing.
        var (_, pool, p) = Run(2, [("idle", 0.80, false, 255, 1), ("capped", 0.40, true, 128, 1), ("uncapped", 0.40, false, 1, 2)], 1);
        var before = p.Select(x => x.DispatchedCycles).ToArray();
        pool.Run(Windows);
        var got = p.Select((x, i) => x.DispatchedCycles - before[i]).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(p[0].State, Is.EqualTo(PartitionState.Halted));
            Assert.That(got[0], Is.Zero);
            Assert.That(got[1], Is.LessThanOrEqualTo(Cycles(0.40) + Rounding));
            Assert.That(got[1], Is.EqualTo(Cycles(0.40)).Within(Rounding));
            Assert.That(got[2], Is.EqualTo(Cycles(1.60)).Within(Rounding), "all but the capped one's 0.40 of the 2 cores");
            Assert.That(pool.LastShares.Select(s => s.Total), Is.EqualTo(new[] { 0.0, 0.40, 1.60 }));
        });
    }

    [Test]
    public void A_Capped_Partition_Alone_Leaves_The_Rest_Of_The_Pool_Idle()
    {
        var (_, pool, p) = Run(1, [("capped", 0.30, true, 128, 1)]);
        Assert.Multiple(() =>
        {
            Assert.That(p[0].DispatchedCycles, Is.EqualTo(Cycles(0.30)).Within(Rounding));
            Assert.That(pool.IdleCycles, Is.EqualTo(Cycles(0.70)).Within(Rounding));
        });
    }

    [Test]
    public void The_Same_Pool_Gives_The_Same_Counters()
    {
        (string, double, bool, int, int)[] specs = [("a", 0.35, false, 200, 2), ("b", 0.25, false, 50, 1), ("c", 0.50, true, 128, 1)];
        string Counters()
        {
            var (firmware, pool, p) = Run(2, specs, 15);
            return string.Join(";", p.Select(x => $"{x.Name}:{x.DispatchedCycles}:{firmware.HashOf(x)}:{string.Join(",", x.Cores.Select(c => c.GuestState.Pc))}")) +
                $"|{pool.IdleCycles}|{string.Join(",", pool.Cores.Select(c => c.Counters.Cycles))}";
        }
        var first = Counters();
        Assert.That(Counters(), Is.EqualTo(first));
    }

    [Test]
    public void Bad_Micro_Partitions_Are_Refused_Saying_Why_And_Nothing_Changes()
    {
        var firmware = PartitionFirmwareTests.Machine(2, 3);
        var early = Assert.Throws<PartitionError>(() => firmware.ActivateMicroPartition(Profile("a", 1), PartitionGuests.Lpar, 0.5, true));
        var pool = firmware.CreateSharedProcessorPool(2, Window);
        firmware.ActivateMicroPartition(Profile("a", 2), PartitionGuests.Lpar, 1.5, true);
        var blocks = firmware.FreeBlocks;
        var over = Assert.Throws<PartitionError>(() => firmware.ActivateMicroPartition(Profile("b", 1), PartitionGuests.Lpar, 0.6, false));
        var small = Assert.Throws<PartitionError>(() => firmware.ActivateMicroPartition(Profile("b", 1), PartitionGuests.Lpar, 0.05, false));
        var second = Assert.Throws<PartitionError>(() => firmware.CreateSharedProcessorPool(1));
        var dlpar = Assert.Throws<PartitionError>(() => new DynamicReallocation(firmware).AddCore(firmware.Find("a")));
        Assert.Multiple(() =>
        {
            Assert.That(early!.Message, Does.Contain("create it first"));
            Assert.That(over!.Message, Does.Contain("2.10 units, more than the pool's 2.00"));
            Assert.That(small!.Message, Does.Contain("at least 0.10"));
            Assert.That(second!.Message, Does.Contain("has a shared processor pool already"));
            Assert.That(dlpar!.Message, Does.Contain("micro-partition"));
            Assert.That(firmware.Partitions.Select(p => p.Name), Is.EqualTo(new[] { "a" }));
            Assert.That(firmware.FreeBlocks, Is.EqualTo(blocks));
            Assert.That(firmware.FreeCores, Is.EqualTo(1), "the pool keeps its 2 cores, the third stays free");
            Assert.That(pool.Cores.Count, Is.EqualTo(2));
        });
    }
}
