namespace VirtualizationWorkbench.Partitioning.Processors;

/// <summary>A partition of the shared processor pool (micro-partitioning): its entitlement in processing units (1.00 =
/// one core; at least 0.10, in steps of 0.01), its virtual processors (the most cores it can use at once), capped or
/// uncapped, its uncapped weight (0 to 255, 128 by default), and what it would use now (its demand).</summary>
public sealed record SharedPartition(string Name, double Entitlement, int VirtualProcessors, bool Capped, int Weight, double Demand);

/// <summary>What one partition gets in a dispatch window: its entitlement used and the spare capacity it won.</summary>
public sealed record PoolShare(string Name, double Entitled, double Uncapped)
{
    /// <summary>Processing units in all.</summary>
    public double Total => Entitled + Uncapped;
}

/// <summary>
/// The shared processor pool of micro-partitioning (POWER5 and later). Each partition is guaranteed its entitlement
/// (or what it wants, if less: the rest is ceded to the pool). Capacity nobody is entitled to or uses is spare; the
/// uncapped partitions that want more share it in proportion to their weights, none beyond its virtual processors or
/// its demand, and what one cannot take goes round again to the others. Capped partitions never exceed their
/// entitlement; a weight of 0 makes an uncapped partition capped. The HMC's worked example comes out: weights 200
/// and 100, both wanting more, 0.75 units spare: 0.50 and 0.25.
/// </summary>
public sealed class SharedProcessorPool
{
    /// <summary>The smallest entitlement: 0.10 processing units.</summary>
    public const double MinimumEntitlement = 0.10;

    /// <summary>A pool of <paramref name="units"/> processing units (its physical cores).</summary>
    public SharedProcessorPool(double units)
    {
        if (!(units >= 1) || units > 64 || units != Math.Floor(units)) throw new PartitionError($"shared processor pool: 1 to 64 whole cores, not {units}");
        Units = units;
    }

    /// <summary>The pool's capacity in processing units.</summary>
    public double Units { get; }

    /// <summary>Divides the pool among <paramref name="partitions"/> for one dispatch window. Throws
    /// <see cref="PartitionError"/> for an entitlement, weight or demand out of range, or entitlements over the pool.</summary>
    public IReadOnlyList<PoolShare> Distribute(IReadOnlyList<SharedPartition> partitions)
    {
        foreach (var p in partitions) Validate(p);
        // Hundredths of a unit, as the HMC counts: exact arithmetic, deterministic results.
        var entitled = partitions.Select(p => (long)Math.Round(Math.Min(p.Demand, p.Entitlement) * 100)).ToArray();
        var totalEntitlement = partitions.Sum(p => (long)Math.Round(p.Entitlement * 100));
        if (totalEntitlement > (long)(Units * 100))
        {
            throw new PartitionError($"shared processor pool: the entitlements add up to {totalEntitlement / 100.0:F2} units, more than the pool's {Units:F2}; lower one");
        }
        var spare = (long)(Units * 100) - entitled.Sum();
        var want = partitions.Select((p, i) => p.Capped || p.Weight == 0 ? 0L : Math.Max(0, (long)Math.Round(Math.Min(p.Demand, p.VirtualProcessors) * 100) - entitled[i])).ToArray();
        var won = new double[partitions.Count];
        var left = (double)spare;
        // Water-filling: share what is left by weight among those still wanting; whoever is filled drops out.
        while (left > 1e-9)
        {
            var active = Enumerable.Range(0, partitions.Count).Where(i => want[i] - won[i] > 1e-9).ToList();
            if (active.Count == 0) break;
            var weights = active.Sum(i => (double)partitions[i].Weight);
            var given = 0.0;
            foreach (var i in active)
            {
                var share = Math.Min(left * partitions[i].Weight / weights, want[i] - won[i]);
                won[i] += share;
                given += share;
            }
            left -= given;
            if (given < 1e-9) break;
        }
        // Whole hundredths that add up to what was shared (largest remainder, ties in partition order): rounding each
        // share on its own could hand out more than the pool has (1.5 + 1.5 hundredths rounded to 2 + 2).
        var hundredths = won.Select(w => (long)Math.Floor(w + 1e-9)).ToArray();
        var remaining = (long)Math.Round(won.Sum()) - hundredths.Sum();
        foreach (var i in Enumerable.Range(0, won.Length).OrderByDescending(i => won[i] - hundredths[i]).ThenBy(i => i).Take((int)Math.Max(0, remaining)))
        {
            hundredths[i]++;
        }
        return [.. partitions.Select((p, i) => new PoolShare(p.Name, entitled[i] / 100.0, hundredths[i] / 100.0))];
    }

    private static void Validate(SharedPartition p)
    {
        var where = $"shared partition '{p.Name}'";
        if (!(p.Entitlement >= MinimumEntitlement - 1e-9)) throw new PartitionError($"{where}: an entitlement is at least {MinimumEntitlement:F2} processing units, not {p.Entitlement}");
        if (Math.Abs(p.Entitlement * 100 - Math.Round(p.Entitlement * 100)) > 1e-6) throw new PartitionError($"{where}: entitlements go in steps of 0.01 units, not {p.Entitlement}");
        if (p.VirtualProcessors < 1) throw new PartitionError($"{where}: at least 1 virtual processor, not {p.VirtualProcessors}");
        if (p.Entitlement > p.VirtualProcessors + 1e-9) throw new PartitionError($"{where}: {p.Entitlement:F2} units need at least {Math.Ceiling(p.Entitlement)} virtual processors (each is at most one core), not {p.VirtualProcessors}");
        if (p.Weight is < 0 or > 255) throw new PartitionError($"{where}: an uncapped weight is 0 to 255, not {p.Weight}");
        if (!(p.Demand >= 0)) throw new PartitionError($"{where}: demand is 0 or more units, not {p.Demand}");
    }
}
