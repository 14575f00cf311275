namespace VirtualizationWorkbench.Labs;

/// <summary>A parsed <c>lab.md</c>: front matter, introduction and steps.</summary>
public sealed record LabDocument(
    string Id,
    string Title,
    string Topic,
    int Minutes,
    IReadOnlyList<string> Prerequisites,
    IReadOnlyList<string> Lessons,
    string Introduction,
    IReadOnlyList<LabStep> Steps,
    string Path)
{
    /// <summary>The folder holding lab.md (starter files, Solution/, …).</summary>
    public string Folder => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary>Whether the lab has a graded C# exercise (an <c>Exercise/</c> folder beside lab.md).</summary>
    public bool HasExercise => Directory.Exists(System.IO.Path.Combine(Folder, "Exercise"));

    /// <summary>Every assembly block of the lab, by name.</summary>
    public AssemblyBlock? FindAssembly(string name) =>
        Steps.SelectMany(s => s.Assembly).FirstOrDefault(a => a.Name == name);

    /// <summary>Every question of the lab, by id.</summary>
    public LabQuestion? FindQuestion(string id) =>
        Steps.SelectMany(s => s.Questions).FirstOrDefault(q => q.Id == id);
}
