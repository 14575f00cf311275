using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Cli.Labs.Scripting;

/// <summary>
/// The <c>lab</c> object scripts see: new machines, the lab's assembly blocks, the student's work files, the
/// student's seed and generated question parameters. Documented in <c>curriculum/authoring.md</c>.
/// </summary>
public sealed class LabApi(LabDocument lab, LabSession session)
{
    // Jint 2.x does not fill in optional parameters, so each arity is its own overload.

    /// <summary>A fresh machine: one core, 16 MiB.</summary>
    public ScriptMachine Machine() => Machine(16, 1);

    /// <summary>A fresh machine with one core and this much memory.</summary>
    public ScriptMachine Machine(double memoryMegabytes) => Machine(memoryMegabytes, 1);

    /// <summary>A fresh machine with this much memory and this many cores.</summary>
    public ScriptMachine Machine(double memoryMegabytes, int cores)
    {
        if (memoryMegabytes is < 1 or > 256) throw new ScriptFailure("machine(memory): memory is 1 to 256 MiB");
        if (cores is < 1 or > 16) throw new ScriptFailure("machine(memory, cores): 1 to 16 cores");
        var computer = new Computer(new MachineConfiguration { MemorySize = (uint)memoryMegabytes * 1024 * 1024, Cores = cores });
        return new ScriptMachine(computer, Resolve);
    }

    /// <summary>A virtual machine monitor of a technique (see <see cref="MonitorCatalog.Names"/>), on the
    /// default cost table.</summary>
    public ScriptMonitor Monitor(string technique) => Monitor(technique, "default");

    /// <summary>A monitor on a named cost table ("default", "2006", "modern").</summary>
    public ScriptMonitor Monitor(string technique, string costTable) => new(ScriptMonitor.Create(technique, costTable), Resolve);

    /// <summary>A Xen-style system: DomU's console as a split-driver front-end, Dom0 running the back-end.</summary>
    public ScriptSplitSystem SplitConsole() => new(Resolve);

    /// <summary>The overhead experiment's row for a microbenchmark under a cost table: cycles per operation
    /// (<c>native</c>, <c>binaryTranslation</c>, <c>paravirtualization</c>, <c>hardwareAssisted</c>).</summary>
    public VirtualizationWorkbench.Machine.Virtualization.Experiments.OverheadRow OverheadRow(string costTable, string row)
    {
        var table = VirtualizationWorkbench.Machine.Costs.CostTables.Find(costTable) ?? throw new ScriptFailure($"overheadRow('{costTable}', …): cost tables are 2006 and modern");
        var define = VirtualizationWorkbench.Machine.Virtualization.Experiments.OverheadExperiment.Microbenchmarks.FirstOrDefault(m => m.Name == row).Define
            ?? throw new ScriptFailure($"overheadRow(…, '{row}'): rows are {string.Join(", ", VirtualizationWorkbench.Machine.Virtualization.Experiments.OverheadExperiment.Microbenchmarks.Select(m => m.Name))}");
        var (text, path) = Resolve("guests/microbench.s");
        var experiment = new VirtualizationWorkbench.Machine.Virtualization.Experiments.OverheadExperiment(text, path);
        var nested = table.Name != VirtualizationWorkbench.Machine.Costs.CostTables.Year2006.Name;
        return new VirtualizationWorkbench.Machine.Virtualization.Experiments.OverheadRow(row,
            experiment.PerOperation("native", define, table, nested), experiment.PerOperation("bt", define, table, nested),
            experiment.PerOperation("pv", define, table, nested), experiment.PerOperation("hw", define, table, nested));
    }

    /// <summary>The text of the lab's assembly block <paramref name="name"/>.</summary>
    public string Source(string name) => lab.FindAssembly(name)?.Source ?? throw new ScriptFailure($"source('{name}'): the lab has no asm block named '{name}'");

    /// <summary>Whether the student's work folder has the file.</summary>
    public bool HasWorkFile(string name) => session.WorkDirectory is { } dir && File.Exists(Path.Combine(dir, name));

    /// <summary>A file of the student's work folder; fails the step, saying what to do, if it is missing.</summary>
    public string WorkFile(string name)
    {
        if (!HasWorkFile(name))
        {
            throw new ScriptFailure(session.WorkDirectory is null
                ? $"step not done yet: there is no work folder; run 'workbench lab start {lab.Id}' and edit {name} there"
                : $"step not done yet: {Path.Combine(session.WorkDirectory, name)} does not exist");
        }
        return File.ReadAllText(Path.Combine(session.WorkDirectory!, name));
    }

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

    private (string Text, string Name) Resolve(string name)
    {
        if (lab.FindAssembly(name) is { } block) return (block.Source, $"{lab.Id}/lab.md:{name}");
        if (name.StartsWith("guests/", StringComparison.Ordinal))
        {
            // The shared guest programs of labs/guests, such as the minikernel.
            var path = Path.Combine(Path.GetDirectoryName(lab.Folder)!, name);
            return File.Exists(path) ? (File.ReadAllText(path), path) : throw new ScriptFailure($"load('{name}'): {path} does not exist");
        }
        return (WorkFile(name), session.WorkDirectory is { } dir ? Path.Combine(dir, name) : name);
    }
}

/// <summary>What a check run knows about the student: seed, answers, work folder.</summary>
public sealed record LabSession(int Seed, IReadOnlyDictionary<string, string> Answers, string? WorkDirectory);
