using System.Collections.Concurrent;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Memory;
using VirtualizationWorkbench.Machine.Virtualization;
using VirtualizationWorkbench.Machine.Virtualization.Experiments;

namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// What the <c>lab</c> object of scripts does: new machines and monitors, the lab's assembly blocks, the
/// student's work files, the student's seed and generated question parameters. Documented in
/// <c>curriculum/authoring.md</c>. Scripts never see this object: the script host exposes a JavaScript object
/// whose functions call these members, and nothing else.
/// </summary>
public sealed class LabApi
{
    // The overhead experiment's rows depend only on the guest's text, the cost table and the row, and one
    // row costs eight full guest runs (about a second): computed once per process.
    private static readonly ConcurrentDictionary<(string Source, string Table, string Row), OverheadRow> OverheadRows = new();

    private readonly LabDocument lab;
    private readonly StudentWork session;
    private readonly ScriptFiles files;
    private readonly Action<object>? made;

    /// <summary>The lab API of <paramref name="lab"/> for one student, charging <paramref name="budget"/>;
    /// <paramref name="made"/> is told of every object with a view the scripts make.</summary>
    public LabApi(LabDocument lab, StudentWork session, ScriptBudget budget, Action<object>? made = null)
    {
        this.lab = lab;
        this.session = session;
        this.made = made;
        Budget = budget;
        files = new ScriptFiles(lab, session, budget.Limits);
    }

    /// <summary>The account machine runs and machine creation charge.</summary>
    internal ScriptBudget Budget { get; }

    /// <summary>A fresh machine with this much memory (1 to 256 MiB) and this many cores (1 to 16).</summary>
    public ScriptMachine Machine(double memoryMegabytes = 16, double cores = 1)
    {
        if (memoryMegabytes is < 1 or > 256 || double.IsNaN(memoryMegabytes)) throw new ScriptFailure($"machine(memory): memory is 1 to 256 MiB, not {memoryMegabytes}");
        if (cores is < 1 or > 16 || double.IsNaN(cores)) throw new ScriptFailure($"machine(memory, cores): 1 to 16 cores, not {cores}");
        var configuration = new MachineConfiguration { MemorySize = (uint)memoryMegabytes * 1024 * 1024, Cores = (int)cores };
        Budget.Claim(configuration.MemorySize, "machine()");
        return new ScriptMachine(Budget.Uncounted(() => new Computer(configuration)), files, Budget);
    }

    /// <summary>A virtual machine monitor of a technique (see <see cref="MonitorCatalog.Names"/>) on a cost
    /// table ("default", "2006", "modern").</summary>
    public ScriptMonitor Monitor(string technique, string costTable = "default")
    {
        var table = CostTables.Find(costTable) ?? throw new ScriptFailure($"monitor(…, '{costTable}'): cost tables are default, 2006 and modern");
        if (!MonitorCatalog.Names.Contains(technique))
        {
            throw new ScriptFailure($"monitor('{technique}'): the techniques are {string.Join(", ", MonitorCatalog.Names)}");
        }
        var monitor = Budget.Uncounted(() => MonitorCatalog.Create(technique, table)!);
        Budget.Claim(monitor.Computer.Memory.Size, $"monitor('{technique}')");
        return new ScriptMonitor(monitor, files, Budget);
    }

    /// <summary>A Xen-style system: DomU's console as a split-driver front-end, Dom0 running the back-end.</summary>
    public ScriptSplitSystem SplitConsole()
    {
        var system = new ScriptSplitSystem(files, Budget);
        Budget.Claim(system.MachineBytes, "splitConsole()");
        return system;
    }

    /// <summary>A storage layer of its own: a volume group of in-memory disks, its volumes, machines on them.</summary>
    public ScriptStorage Storage()
    {
        Budget.Claim(ScriptStorage.MaxExtents * ScriptStorage.ExtentSectors * 512L, "storage()");
        return Shown(new ScriptStorage(files, Budget));
    }

    /// <summary>A container kernel of its own (lab 08): containers, host processes, cgroup files.</summary>
    public ScriptContainers Containers()
    {
        Budget.Claim(ScriptContainers.MachineBytes, "containers()");
        return Shown(new ScriptContainers(Budget));
    }

    /// <summary>A partitioned machine of its own (1 to 64 MiB, 1 to 16 cores): its partition firmware.</summary>
    public ScriptPartitions Partitions(double memoryMegabytes, double cores)
    {
        if (memoryMegabytes is < 1 or > 64 || double.IsNaN(memoryMegabytes)) throw new ScriptFailure($"partitions(memory, cores): memory is 1 to 64 MiB, not {memoryMegabytes}");
        if (cores is < 1 or > 16 || double.IsNaN(cores)) throw new ScriptFailure($"partitions(memory, cores): 1 to 16 cores, not {cores}");
        var configuration = new MachineConfiguration { MemorySize = (uint)memoryMegabytes * 1024 * 1024, Cores = (int)cores };
        Budget.Claim(configuration.MemorySize, "partitions()");
        return Shown(new ScriptPartitions(Budget.Uncounted(() => new Partitioning.PartitionFirmware(configuration)), files, Budget));
    }

    /// <summary>Live partition mobility of guests/lpar.s in a 128-page partition (two small machines).</summary>
    public Partitioning.Migration.MigrationResult Migrate(string workload, string mode, double megabitsPerSecond, string rule, bool clearDirtyOnSend)
    {
        Budget.Claim(20 * Partitioning.PartitionFirmware.BlockSize, "migrate()");
        Budget.ThrowIfSpent("migrate()");
        var result = Budget.Uncounted(() => ScriptPartitions.Migrate(workload, mode, megabitsPerSecond, rule, clearDirtyOnSend));
        Shown(new ScriptMigration(workload, mode, megabitsPerSecond, mode == "pre-copy" ? rule : "", clearDirtyOnSend, result));
        return result;
    }

    /// <summary>Active Memory Sharing on two to four partitions of a machine of its own (see
    /// <see cref="ScriptPartitions.MemoryShares"/>).</summary>
    public Partitioning.Memory.Sharing.SharedMemoryPartition[] MemoryShares(double poolBlocks, object?[] rows, double instructions)
    {
        Budget.Claim(1024 * 1024, "memoryShares()");
        Budget.ThrowIfSpent("memoryShares()");
        var result = Budget.Uncounted(() => ScriptPartitions.MemoryShares(poolBlocks, rows, instructions));
        Budget.ThrowIfSpent("memoryShares()");
        return result;
    }

    /// <summary>Micro-partitions dispatched on a shared processor pool of a machine of its own (see
    /// <see cref="ScriptPartitions.DispatchShares"/>).</summary>
    public double[] DispatchShares(double units, object?[] rows, double windows)
    {
        Budget.Claim(2 * 1024 * 1024, "dispatchShares()");
        Budget.ThrowIfSpent("dispatchShares()");
        var result = Budget.Uncounted(() => ScriptPartitions.DispatchShares(units, rows, windows));
        Budget.ThrowIfSpent("dispatchShares()");
        return result;
    }

    /// <summary>Active Memory Expansion on a machine of its own (see <see cref="ScriptPartitions.MemoryExpansion"/>).</summary>
    public (Partitioning.Memory.ActiveMemoryExpansion Expansion, uint Corrupt) MemoryExpansion(string data, double workingPages, double instructions)
    {
        Budget.Claim(1024 * 1024, "memoryExpansion()");
        Budget.ThrowIfSpent("memoryExpansion()");
        var result = Budget.Uncounted(() => ScriptPartitions.MemoryExpansion(data, workingPages, instructions));
        Budget.ThrowIfSpent("memoryExpansion()");
        return result;
    }

    /// <summary>The overhead experiment's row for a microbenchmark under a cost table: cycles per operation
    /// under each technique.</summary>
    public OverheadRow OverheadRow(string costTable, string row)
    {
        var table = CostTables.Find(costTable) ?? throw new ScriptFailure($"overheadRow('{costTable}', …): cost tables are 2006 and modern");
        var define = OverheadExperiment.Microbenchmarks.FirstOrDefault(m => m.Name == row).Define
            ?? throw new ScriptFailure($"overheadRow(…, '{row}'): rows are {string.Join(", ", OverheadExperiment.Microbenchmarks.Select(m => m.Name))}");
        var (text, path) = files.Resolve("guests/microbench.s");
        Budget.ThrowIfSpent("overheadRow()");
        // Uncounted: the experiment's machines are created and dropped inside; only the row stays.
        var result = Budget.Uncounted(() => OverheadRows.GetOrAdd((text, table.Name, row), _ =>
        {
            var experiment = new OverheadExperiment(text, path);
            var nested = table.Name != CostTables.Year2006.Name;
            return new OverheadRow(row,
                experiment.PerOperation("native", define, table, nested), experiment.PerOperation("bt", define, table, nested),
                experiment.PerOperation("pv", define, table, nested), experiment.PerOperation("hw", define, table, nested));
        }));
        Budget.ThrowIfSpent("overheadRow()");
        return result;
    }

    /// <summary>A network scenario from the student's work folder (<c>curriculum/reference/network-scenarios.md</c>),
    /// built and ready to run.</summary>
    public ScriptNetwork Network(string file) => Shown(ScriptNetwork.Build(files.WorkFile(file), file, Budget));

    /// <summary>Tells whoever watches (the terminal UI) of an object the student can look at once the step ran.</summary>
    private T Shown<T>(T thing)
        where T : class
    {
        made?.Invoke(thing);
        return thing;
    }

    /// <summary>A compiled RISC-V (RV32IM) program: a shared guest (<c>"guests/rv32/prebuilt/hello.elf"</c>) or an
    /// ELF file of the student's work folder, to run under the emulator's engines.</summary>
    public ScriptRv32 Rv32(string file) => Shown(ScriptRv32.Load(files, file, Budget));
    /// <summary>A program in the workbench language from the student's work folder, compiled and verified.</summary>
    public ScriptBytecode Bytecode(string file) => Shown(ScriptBytecode.Compile(files.WorkFile(file), file, Budget));

    /// <summary>The text of the lab's assembly block <paramref name="name"/>.</summary>
    public string Source(string name) => lab.FindAssembly(name)?.Source ?? throw new ScriptFailure($"source('{name}'): the lab has no asm block named '{name}'");

    /// <summary>Whether the student's work folder has the file.</summary>
    public bool HasWorkFile(string name) => files.HasWorkFile(name);

    /// <summary>A file of the student's work folder; fails the step, saying what to do, if it is missing.</summary>
    public string WorkFile(string name) => files.WorkFile(name);

    /// <summary>This student's seed.</summary>
    public int Seed => session.Seed;

    /// <summary>The value of a generated parameter of a question, the same one the student's prompt shows.</summary>
    public double Param(string question, string name)
    {
        var q = lab.FindQuestion(question) ?? throw new ScriptFailure($"param('{question}', …): no such question");
        return QuestionParameters.Value(session.Seed, lab.Id, q, name);
    }

    /// <summary>The page size, for scripts that build page tables.</summary>
    public double PageSize => MemoryMap.PageSize;
}
