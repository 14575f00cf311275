using VirtualizationWorkbench.Partitioning.Processors;

namespace VirtualizationWorkbench.Partitioning.Tests;

public sealed class SharedProcessorPoolTests
{
    [Test]
    public void The_Hmc_Example_Splits_0_75_Spare_Units_200_To_100()
    {
        // A 3-core pool: a capped partition uses its 2.05 units and the two uncapped ones their minimum 0.10 each,
        // so 0.75 is spare; both want 2.00 more.
        var pool = new SharedProcessorPool(3);
        var shares = pool.Distribute([
            new SharedPartition("busy", 2.05, 3, Capped: true, Weight: 128, Demand: 2.05),
            new SharedPartition("a", 0.10, 3, Capped: false, Weight: 200, Demand: 2.10),
            new SharedPartition("b", 0.10, 3, Capped: false, Weight: 100, Demand: 2.10),
        ]);
        Assert.That(shares.Select(s => (s.Name, s.Entitled, s.Uncapped)), Is.EqualTo(new[] { ("busy", 2.05, 0.0), ("a", 0.10, 0.50), ("b", 0.10, 0.25) }));
    }

    [Test]
    public void What_An_Uncapped_Partition_Cannot_Use_Goes_To_The_Others_And_Capped_Ones_Get_None()
    {
        var shares = new SharedProcessorPool(2).Distribute([
            new SharedPartition("small", 0.20, 1, Capped: false, Weight: 255, Demand: 0.40),
            new SharedPartition("big", 0.20, 2, Capped: false, Weight: 1, Demand: 5),
            new SharedPartition("capped", 0.50, 1, Capped: true, Weight: 255, Demand: 1),
        ]);
        Assert.That(shares.Select(s => s.Total), Is.EqualTo(new[] { 0.40, 1.10, 0.50 }), "small wants 0.20 more, big takes the rest up to its 2 virtual processors less what is left");
    }

    [Test]
    public void Shares_Are_Whole_Hundredths_That_Never_Add_Up_To_More_Than_Is_Spare()
    {
        // 0.03 spare between equal weights is 1.5 hundredths each: rounding each on its own would give out 0.04.
        var shares = new SharedProcessorPool(1).Distribute([
            new SharedPartition("capped", 0.77, 1, Capped: true, Weight: 0, Demand: 1),
            new SharedPartition("a", 0.10, 1, Capped: false, Weight: 128, Demand: 1),
            new SharedPartition("b", 0.10, 1, Capped: false, Weight: 128, Demand: 1),
        ]);
        Assert.That(shares.Select(s => s.Uncapped), Is.EqualTo(new[] { 0.0, 0.02, 0.01 }));
    }

    [TestCase(0.05, 1, 128, "at least 0.10")]
    [TestCase(0.155, 1, 128, "steps of 0.01")]
    [TestCase(1.5, 1, 128, "need at least 2 virtual processors")]
    [TestCase(0.5, 1, 256, "0 to 255")]
    public void Bad_Entitlements_Are_Refused_Saying_Why(double entitlement, int processors, int weight, string message)
    {
        var error = Assert.Throws<PartitionError>(() => new SharedProcessorPool(2).Distribute([new SharedPartition("p", entitlement, processors, false, weight, 1)]));
        Assert.That(error!.Message, Does.Contain("shared partition 'p'").And.Contain(message));
    }

    [Test]
    public void Entitlements_Over_The_Pool_Are_Refused()
    {
        var error = Assert.Throws<PartitionError>(() => new SharedProcessorPool(1).Distribute([new SharedPartition("a", 0.6, 1, true, 0, 1), new SharedPartition("b", 0.5, 1, true, 0, 1)]));
        Assert.That(error!.Message, Does.Contain("1.10 units, more than the pool's 1.00"));
    }
}
