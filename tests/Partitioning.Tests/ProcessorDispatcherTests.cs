using VirtualizationWorkbench.Partitioning.Processors;

namespace VirtualizationWorkbench.Partitioning.Tests;

public sealed class ProcessorDispatcherTests
{
    // A 0.5 ms window keeps the tests fast; the arithmetic is the same as at POWER's 10 ms. Its rounding (0.01 units,
    // 500 cycles) covers what the last window's dispatches overshoot (an entry into the guest, 400 cycles, and the
    // instruction each ends in), which the dispatcher would take back from the next window.
    private const ulong Window = 50_000;
    private const int Windows = 20;
    private const ulong Rounding = Window / 100;

    private static (PartitionFirmware Firmware, IReadOnlyList<DispatchShare> Shares) Run(int poolCores, DispatchMember[] members, int windows = Windows) =>
        DispatchTrial.Run(poolCores, members, windows, Window);

    // What `units` processing units come to over the measured windows.
    private static ulong Cycles(double units, int windows = Windows) => (ulong)Math.Round(units * 100) * (Window / 100) * (ulong)windows;

    [Test]
    public void The_Hmc_Example_Comes_Out_Of_Running_Guests()
    {
        // As SharedProcessorPoolTests' example, but measured: a capped partition uses 2.05 of 3 cores, two uncapped
        // ones are entitled to 0.10 each and want their 3 virtual processors; 0.75 units are spare, split 200 to 100.
        var (firmware, s) = Run(3, [new("busy", 2.05, true, 128, 3), new("a", 0.10, false, 200, 3), new("b", 0.10, false, 100, 3)]);
        Assert.Multiple(() =>
        {
            foreach (var partition in firmware.Partitions) Assert.That(partition.State, Is.EqualTo(PartitionState.Running), partition.Fault);
            Assert.That(s.Select(x => x.Promised), Is.EqualTo(new[] { 2.05, 0.60, 0.35 }));
            Assert.That(s[0].Cycles, Is.EqualTo(Cycles(2.05)).Within(Rounding));
            Assert.That(s[1].Cycles, Is.EqualTo(Cycles(0.60)).Within(Rounding), "a: 0.10 entitled + 0.50 of the spare");
            Assert.That(s[2].Cycles, Is.EqualTo(Cycles(0.35)).Within(Rounding), "b: 0.10 entitled + 0.25 of the spare");
            Assert.That(firmware.ProcessorPool!.IdleCycles, Is.LessThan(Rounding), "the pool is kept busy");
            // Every virtual processor ran: lpar.s's secondaries count on processors 1 and 2.
            Assert.That(firmware.Find("a").Cores.Select(c => c.GuestState.Pc).Distinct().Count(), Is.GreaterThan(1));
        });
    }

    [Test]
    public void A_Capped_Partition_Never_Exceeds_Its_Entitlement_While_An_Uncapped_One_Takes_The_Idle_Capacity()
    {
        // Two cores: idle (entitled 0.80, halted in the first window), capped (0.40) and uncapped (0.40, weight 1, two
        // processors). The idle one cedes its 0.80; the capped one gets none of it though it wants a whole core.
        var (firmware, s) = Run(2, [new("idle", 0.80, false, 255, 1, Idle: true), new("capped", 0.40, true, 128, 1), new("uncapped", 0.40, false, 1, 2)]);
        Assert.Multiple(() =>
        {
            Assert.That(firmware.Find("idle").State, Is.EqualTo(PartitionState.Halted));
            Assert.That(s[0].Cycles, Is.Zero);
            Assert.That(s[1].Cycles, Is.LessThanOrEqualTo(Cycles(0.40) + Rounding));
            Assert.That(s[1].Cycles, Is.EqualTo(Cycles(0.40)).Within(Rounding));
            Assert.That(s[2].Cycles, Is.EqualTo(Cycles(1.60)).Within(Rounding), "all but the capped one's 0.40 of the 2 cores");
            Assert.That(s.Select(x => x.Promised), Is.EqualTo(new[] { 0.0, 0.40, 1.60 }));
        });
    }

    [Test]
    public void A_Capped_Partition_Alone_Leaves_The_Rest_Of_The_Pool_Idle()
    {
        var (firmware, s) = Run(1, [new("capped", 0.30, true, 128, 1)]);
        var pool = firmware.ProcessorPool!;
        Assert.Multiple(() =>
        {
            Assert.That(s[0].Cycles, Is.EqualTo(Cycles(0.30)).Within(Rounding));
            Assert.That(pool.IdleCycles, Is.EqualTo(Cycles(0.70, Windows + 1)).Within(Rounding), "0.70 of every window, the first included");
        });
    }

    [Test]
    public void The_Same_Pool_Gives_The_Same_Counters()
    {
        DispatchMember[] members = [new("a", 0.35, false, 200, 2), new("b", 0.25, false, 50, 1), new("c", 0.50, true, 128, 1)];
        static string Counters(DispatchMember[] members)
        {
            var (firmware, s) = Run(2, members, 8);
            return string.Join(";", s.Select(x => $"{x.Name}:{x.Cycles}:{firmware.HashOf(firmware.Find(x.Name))}:{string.Join(",", firmware.Find(x.Name).Cores.Select(c => c.GuestState.Pc))}")) +
                $"|{firmware.ProcessorPool!.IdleCycles}|{string.Join(",", firmware.ProcessorPool.Cores.Select(c => c.Counters.Cycles))}";
        }
        var first = Counters(members);
        Assert.That(Counters(members), Is.EqualTo(first));
    }

    [Test]
    public void Bad_Micro_Partitions_Are_Refused_Saying_Why_And_Nothing_Changes()
    {
        static PartitionProfile Profile(string name, int processors) => PartitionFirmwareTests.Profile(name, 2, processors) with { MaxCores = processors };
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
