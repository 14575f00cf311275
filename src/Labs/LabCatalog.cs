namespace VirtualizationWorkbench.Labs;

/// <summary>
/// The labs (<c>labs/NN-topic/lab.md</c>) and lessons (<c>curriculum/</c>) the workbench offers. Found, in
/// order: the folder given explicitly or in <c>$WORKBENCH_LABS</c>; a <c>labs</c> folder in the current
/// folder or above it (a checkout of the repository, where instructors edit labs without rebuilding); the copy
/// installed beside the command.
/// </summary>
public sealed class LabCatalog
{
    private readonly List<LabDocument> labs = [];
    private readonly List<LabFormatException> errors = [];

    private LabCatalog(string labsFolder)
    {
        LabsFolder = labsFolder;
        foreach (var file in Directory.EnumerateDirectories(labsFolder).Select(d => Path.Combine(d, "lab.md")).Where(File.Exists).Order(StringComparer.Ordinal))
        {
            try
            {
                labs.Add(LabParser.Load(file));
            }
            catch (LabFormatException e)
            {
                errors.Add(e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or InvalidCastException or FormatException or OverflowException or YamlDotNet.Core.YamlException)
            {
                // One broken lab fails alone: every other lab and every command keep working.
                errors.Add(new LabFormatException(file, 1, 1, $"this lab cannot be read ({LabParser.Printable(e.Message)}); fix it or remove its folder"));
            }
        }
    }

    /// <summary>The folder holding the labs.</summary>
    public string LabsFolder { get; }

    /// <summary>The lessons folder beside it.</summary>
    public string CurriculumFolder => Path.Combine(Path.GetDirectoryName(LabsFolder)!, "curriculum");

    /// <summary>The labs that parsed, in course order.</summary>
    public IReadOnlyList<LabDocument> Labs => labs;

    /// <summary>Labs that did not parse, with where and why.</summary>
    public IReadOnlyList<LabFormatException> Errors => errors;

    /// <summary>Finds the labs folder (see the class remarks) and reads every lab in it.</summary>
    public static LabCatalog Locate(string? explicitFolder = null)
    {
        var candidates = new List<string?>
        {
            explicitFolder,
            Environment.GetEnvironmentVariable("WORKBENCH_LABS"),
        };
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            candidates.Add(Path.Combine(dir.FullName, "labs"));
        }
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "labs"));
        foreach (var candidate in candidates)
        {
            if (candidate is { Length: > 0 } && Directory.Exists(candidate)
                && Directory.EnumerateDirectories(candidate).Any(d => File.Exists(Path.Combine(d, "lab.md"))))
            {
                return new LabCatalog(Path.GetFullPath(candidate));
            }
            if (candidate == explicitFolder && explicitFolder is not null)
            {
                throw new LabError($"{explicitFolder}: no labs there (expected folders like 01-machine/lab.md)");
            }
        }
        throw new LabError("no labs found: run the workbench from its repository, or set WORKBENCH_LABS to a folder of labs");
    }

    /// <summary>The lab named by <paramref name="name"/>: its id (<c>01-machine</c>), its number (<c>01</c> or
    /// <c>1</c>) or its topic word (<c>machine</c>).</summary>
    public LabDocument Find(string name)
    {
        var lab = labs.FirstOrDefault(l => l.Id == name)
            ?? labs.FirstOrDefault(l => int.TryParse(name, out var n) && l.Id.StartsWith($"{n:00}-", StringComparison.Ordinal))
            ?? labs.FirstOrDefault(l => l.Id.EndsWith("-" + name, StringComparison.OrdinalIgnoreCase));
        if (lab is not null) return lab;
        var broken = errors.FirstOrDefault(e => e.File.Contains(name, StringComparison.OrdinalIgnoreCase));
        if (broken is not null) throw new LabError($"lab '{name}' does not parse: {broken.Message}");
        throw new LabError($"no lab '{name}'; the labs are {string.Join(", ", labs.Select(l => l.Id))}");
    }
}
