using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Partitioning;
using VirtualizationWorkbench.Partitioning.Memory;
using VirtualizationWorkbench.Partitioning.Memory.Sharing;
using VirtualizationWorkbench.Partitioning.Migration;
using VirtualizationWorkbench.Partitioning.Processors;

namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// A partitioned machine as lab scripts see it (<c>const fw = lab.partitions(4, 4)</c>): its firmware, partitions
/// named by strings, dynamic reallocation, and the hashes that show a boundary held. The firmware's refusals fail the
/// step with their message, except the <c>try…</c> calls, which return it (<c>""</c> when done).
/// </summary>
public sealed class ScriptPartitions
{
    private const long Slice = 100_000;
    private readonly PartitionFirmware firmware;
    private readonly DynamicReallocation dlpar;
    private readonly ScriptFiles files;
    private readonly ScriptBudget budget;

    internal ScriptPartitions(PartitionFirmware firmware, ScriptFiles files, ScriptBudget budget)
    {
        this.firmware = firmware;
        dlpar = new DynamicReallocation(firmware);
        this.files = files;
        this.budget = budget;
    }

    /// <summary>The partition firmware itself (what the terminal UI draws once the step ran).</summary>
    public PartitionFirmware Firmware => firmware;

    /// <summary>Activates a partition running <paramref name="program"/> (an asm block, a work file or a shared
    /// guest), its memory from machine block <paramref name="firstBlock"/> if it is 1 or more.</summary>
    public void Activate(string name, double blocks, double cores, string program, double firstBlock)
    {
        var message = TryActivate(name, blocks, cores, program, firstBlock);
        if (message != "") throw new ScriptFailure(message);
    }

    /// <summary>As <see cref="Activate"/>, returning the firmware's refusal instead of failing.</summary>
    public string TryActivate(string name, double blocks, double cores, string program, double firstBlock)
    {
        var image = Assemble(program);
        var profile = new PartitionProfile
        {
            Name = name,
            DesiredBlocks = Whole(blocks, "blocks"),
            MaxBlocks = Math.Max(16, Whole(blocks, "blocks")),
            DesiredCores = Whole(cores, "cores"),
            MaxCores = Math.Max(4, Whole(cores, "cores")),
            FirstBlock = firstBlock >= 1 ? Whole(firstBlock, "firstBlock") : null,
        };
        return Try(() => firmware.Activate(profile, image));
    }

    /// <summary>Sets <paramref name="blocks"/> free blocks apart as the machine's shared memory pool, paged to a VIOS
    /// paging device with the default costs (2,000 + 8,000 cycles a page).</summary>
    public void SharedPool(double blocks) => Do(() => firmware.CreateSharedMemoryPool(Whole(blocks, "blocks"), new ViosPagingDevice()));

    /// <summary>Activates a shared-memory partition of <paramref name="blocks"/> blocks of logical memory running
    /// <paramref name="program"/>, with a memory weight and a loan policy (none, free or cache).</summary>
    public void ActivateShared(string name, double blocks, string program, double weight, string loanPolicy)
    {
        var image = Assemble(program);
        var profile = new PartitionProfile { Name = name, DesiredBlocks = Whole(blocks, "blocks"), MaxBlocks = Math.Max(16, Whole(blocks, "blocks")) };
        Do(() => firmware.ActivateShared(profile, image, Whole(weight, "weight"), LoanPolicy.Named(loanPolicy)));
    }

    /// <summary>What the shared memory pool did for a shared-memory partition.</summary>
    public SharedMemoryPartition Paging(string name) =>
        Find(name).Sharing ?? throw new ScriptFailure($"fw.paging('{name}'): '{name}' is not in shared memory mode (fw.activateShared makes one)");

    /// <summary>The shared memory pool.</summary>
    public SharedMemoryPool Pool => firmware.SharedPool ?? throw new ScriptFailure("fw.pool(): the machine has no shared memory pool (fw.sharedPool(blocks) makes one)");

    /// <summary>The address of a label of the partition's program (to read a guest's counter with fw.read).</summary>
    public double Symbol(string name, string symbol) =>
        Find(name).Program?.Symbols.TryGetValue(symbol, out var address) == true ? address : throw new ScriptFailure($"fw.symbol('{name}', '{symbol}'): its program has no label '{symbol}'");

    /// <summary>Runs every running partition's cores for <paramref name="instructions"/> instructions each (1 to
    /// 10^8).</summary>
    public void Run(double instructions)
    {
        if (double.IsNaN(instructions) || instructions is < 1 or > 1e8) throw new ScriptFailure($"fw.run(instructions): 1 to 100000000, not {instructions}");
        for (var done = 0L; done < (long)instructions; done += Slice)
        {
            budget.ThrowIfSpent("fw.run()");
            var slice = Math.Min(Slice, (long)instructions - done);
            budget.Uncounted(() =>
            {
                firmware.Run(slice);
                return 0;
            });
        }
    }

    /// <summary>Sets the workload of a partition running guests/lpar.s.</summary>
    public void Workload(string name, double hotPages, double delay, double coldEvery, double printEvery)
    {
        var partition = Find(name);
        if (partition.Program?.Symbols.ContainsKey("hot_pages") != true) throw new ScriptFailure($"fw.workload('{name}', …): the partition does not run guests/lpar.s");
        PartitionGuests.SetWorkload(firmware, partition, new GuestWorkload("script", Whole(hotPages, "hotPages"), Whole(delay, "delay"), Whole(coldEvery, "coldEvery"), Math.Max(1, Whole(printEvery, "printEvery"))));
    }

    public string State(string name) => Find(name).State.ToString();

    public string Fault(string name) => Find(name).Fault ?? "";

    public string Console(string name) => Find(name).Console;

    public double[] Blocks(string name) => [.. Find(name).Blocks.Select(b => (double)b)];

    /// <summary>The machine blocks the partition's nested page table maps, each once, in order.</summary>
    public double[] Mapped(string name) =>
        [.. Find(name).Table.Mappings().Select(m => (double)(m.Frame / PartitionFirmware.BlockSize)).Distinct().Order()];

    public double Memory(string name) => Find(name).MemorySize;

    public double Cores(string name) => Find(name).Cores.Count;

    public string Hash(string name) => firmware.HashOf(Find(name));

    public string HashOutside(string name) => firmware.HashOutside(Find(name));

    public double Read(string name, double address) => firmware.ReadLogicalWord(Find(name), (uint)(long)address);

    public double FreeBlocks => firmware.FreeBlocks;

    public double FreeCores => firmware.FreeCores;

    public void AddMemory(string name, double blocks) => Do(() => dlpar.AddMemory(Find(name), Whole(blocks, "blocks")));

    public string TryRemoveMemory(string name, double blocks) => Try(() => dlpar.RemoveMemory(Find(name), Whole(blocks, "blocks")));

    public void RemoveMemory(string name, double blocks) => Do(() => dlpar.RemoveMemory(Find(name), Whole(blocks, "blocks")));

    public void AddCore(string name) => Do(() => dlpar.AddCore(Find(name)));

    public void RemoveCore(string name) => Do(() => dlpar.RemoveCore(Find(name)));

    /// <summary>One live partition mobility of guests/lpar.s in an 8-block (128-page) partition: the result as the
    /// experiment reports it.</summary>
    internal static MigrationResult Migrate(string workload, string mode, double megabitsPerSecond, string rule, bool clearDirtyOnSend)
    {
        var load = GuestWorkload.All.FirstOrDefault(w => w.Name == workload) ?? throw new ScriptFailure($"lab.migrate('{workload}', …): workloads are idle, moderate and diabolical");
        var how = MigrationTrial.ModeNamed(mode) ?? throw new ScriptFailure($"lab.migrate(…, '{mode}', …): modes are pre-copy, stop-and-copy and hybrid");
        try
        {
            return MigrationTrial.Run(load, new MigrationOptions(how, new MigrationLink(megabitsPerSecond), StopRule.Parse(rule), clearDirtyOnSend), blocks: 8);
        }
        catch (PartitionError e)
        {
            throw new ScriptFailure(e.Message);
        }
    }

    /// <summary>Active Memory Sharing on a machine of its own: a shared memory pool of <paramref name="poolBlocks"/>
    /// blocks and one shared-memory partition of 8 blocks (128 pages) of logical memory per
    /// [name, weight, loanPolicy] row, each running guests/ams.s as it comes, run for
    /// <paramref name="instructions"/> instructions each: each partition's paging.</summary>
    internal static SharedMemoryPartition[] MemoryShares(double poolBlocks, object?[] rows, double instructions)
    {
        if (double.IsNaN(instructions) || instructions is < 1 or > 1e7) throw new ScriptFailure($"lab.memoryShares(poolBlocks, partitions, instructions): instructions are 1 to 10000000, not {instructions}");
        try
        {
            var members = rows.Select((row, i) => row is object?[] { Length: 3 } r && r[0] is string name && r[1] is double weight && r[2] is string policy
                ? new SharingMember(name, Whole(weight, "weight"), LoanPolicy.Named(policy))
                : throw new ScriptFailure($"lab.memoryShares(poolBlocks, partitions, instructions): partition {i} must be [name, weight, loanPolicy]")).ToList();
            return [.. SharingTrial.Run(Whole(poolBlocks, "poolBlocks"), members, (long)instructions).SharedPool!.Partitions];
        }
        catch (PartitionError e)
        {
            throw new ScriptFailure(e.Message);
        }
    }

    /// <summary>Active Memory Expansion on a machine of its own (<see cref="ExpansionTrial"/>): one partition of 4
    /// blocks expanded twice, guests/ams.s over <paramref name="workingPages"/> pages of <paramref name="data"/>
    /// (zeros, text or random), run for <paramref name="instructions"/>: the expansion, and the guest's count of
    /// pages that came back wrong.</summary>
    internal static (ActiveMemoryExpansion Expansion, uint Corrupt) MemoryExpansion(string data, double workingPages, double instructions)
    {
        const string Call = "lab.memoryExpansion(data, workingPages, instructions)";
        if (double.IsNaN(instructions) || instructions is < 1 or > 1e7) throw new ScriptFailure($"{Call}: instructions are 1 to 10000000, not {instructions}");
        if (!Enum.TryParse<PageData>(data, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || data.Any(char.IsDigit))
        {
            throw new ScriptFailure($"{Call}: data '{data}' is not one of {string.Join(", ", Enum.GetNames<PageData>().Select(n => n.ToLowerInvariant()))}");
        }
        try
        {
            var firmware = ExpansionTrial.Run(Whole(workingPages, "workingPages"), kind, 2.0, (long)instructions);
            var partition = firmware.Partitions[0];
            return (partition.Expansion!, firmware.ReadLogicalWord(partition, partition.Program!.Symbols["corrupt"]));
        }
        catch (PartitionError e)
        {
            throw new ScriptFailure(e.Message);
        }
    }

    /// <summary>The shares of a shared processor pool of <paramref name="units"/> cores for partitions given as
    /// [name, entitlement, virtual processors, capped, weight, demand] rows: each partition's total units.</summary>
    internal static double[] PoolShares(double units, object?[] rows)
    {
        try
        {
            var partitions = rows.Select((row, i) => row is object?[] { Length: 6 } r && r[0] is string name && r[1] is double e && r[2] is double vp && r[3] is bool capped && r[4] is double w && r[5] is double demand
                ? new SharedPartition(name, e, (int)vp, capped, (int)w, demand)
                : throw new ScriptFailure($"lab.poolShares(units, partitions): partition {i} must be [name, entitlement, virtualProcessors, capped, weight, demand]")).ToList();
            return [.. new SharedProcessorPool(units).Distribute(partitions).Select(s => Math.Round(s.Total, 2))];
        }
        catch (PartitionError e)
        {
            throw new ScriptFailure(e.Message);
        }
    }

    /// <summary>Micro-partitions on running guests (<see cref="DispatchTrial"/>): a shared processor pool of
    /// <paramref name="units"/> cores dispatched in 10 ms windows, one micro-partition per
    /// [name, entitlement, virtual processors, capped, weight, idle] row (busy ones run guests/lpar.s, idle ones halt),
    /// one window to settle, then <paramref name="windows"/> measured: each partition's measured processing units.</summary>
    internal static double[] DispatchShares(double units, object?[] rows, double windows)
    {
        const string Call = "lab.dispatchShares(units, partitions, windows)";
        if (double.IsNaN(windows) || windows is < 1 or > 10) throw new ScriptFailure($"{Call}: windows are 1 to 10, not {windows}");
        try
        {
            var members = rows.Select((row, i) => row is object?[] { Length: 6 } r && r[0] is string name && r[1] is double e && r[2] is double vp && r[3] is bool capped && r[4] is double w && r[5] is bool idle
                ? new DispatchMember(name, e, capped, Whole(w, "weight"), Whole(vp, "virtualProcessors"), idle)
                : throw new ScriptFailure($"{Call}: partition {i} must be [name, entitlement, virtualProcessors, capped, weight, idle]")).ToList();
            var cores = Whole(units, "units");
            if (cores is < 1 or > 4) throw new ScriptFailure($"{Call}: a pool of 1 to 4 cores, not {units}");
            return [.. DispatchTrial.Run(cores, members, Whole(windows, "windows")).Shares.Select(s => Math.Round(s.Measured, 4))];
        }
        catch (PartitionError e)
        {
            throw new ScriptFailure(e.Message);
        }
    }

    private LogicalPartition Find(string name)
    {
        try
        {
            return firmware.Find(name);
        }
        catch (PartitionError e)
        {
            throw new ScriptFailure(e.Message);
        }
    }

    private ProgramImage Assemble(string program)
    {
        var (text, sourceName) = files.Resolve(program);
        budget.ThrowIfSpent("fw.activate()");
        var result = budget.Uncounted(() => Assembler.Assemble(text, sourceName, files.Assembler()));
        return result.Program ?? throw new ScriptFailure($"{sourceName} does not assemble:\n" + string.Join("\n", result.Diagnostics.Select(d => d.Headline)));
    }

    private void Do(Action action)
    {
        var message = Try(action);
        if (message != "") throw new ScriptFailure(message);
    }

    private string Try(Action action)
    {
        budget.ThrowIfSpent("fw");
        try
        {
            budget.Uncounted(() =>
            {
                action();
                return 0;
            });
            return "";
        }
        catch (PartitionError e)
        {
            return e.Message;
        }
    }

    private static int Whole(double value, string what) =>
        double.IsNaN(value) || value < 0 || value > 1024 || value != Math.Floor(value) ? throw new ScriptFailure($"{what} must be a whole number 0 to 1024, not {value}") : (int)value;
}
