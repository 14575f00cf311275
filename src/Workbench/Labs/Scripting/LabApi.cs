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
