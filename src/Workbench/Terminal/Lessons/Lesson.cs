namespace VirtualizationWorkbench.Workbench.Terminal.Lessons;

/// <summary>A page of the curriculum: a numbered lesson, the index, the glossary or a reference.</summary>
/// <param name="Id">The file name without <c>.md</c> (<c>01-machine</c>, <c>reference/isa</c>).</param>
/// <param name="Title">Its first heading.</param>
/// <param name="Path">The file.</param>
public sealed record Lesson(string Id, string Title, string Path)
{
    /// <summary>The lessons in <paramref name="curriculumFolder"/>, in reading order: the numbered lessons, then
    /// the index, glossary, review questions and references. Empty if the folder is missing.</summary>
    public static IReadOnlyList<Lesson> In(string curriculumFolder)
    {
        if (!Directory.Exists(curriculumFolder)) return [];
        return [.. Directory.EnumerateFiles(curriculumFolder, "*.md", SearchOption.AllDirectories)
            .Select(path => Open(curriculumFolder, path))
            .OrderBy(l => char.IsDigit(l.Id[0]) ? 0 : l.Id.Contains('/') ? 2 : 1)
            .ThenBy(l => l.Id, StringComparer.Ordinal)];
    }

    /// <summary>The lesson in file <paramref name="path"/>.</summary>
    public static Lesson Open(string curriculumFolder, string path)
    {
        var id = System.IO.Path.GetRelativePath(curriculumFolder, path).Replace('\\', '/');
        id = id.EndsWith(".md", StringComparison.Ordinal) ? id[..^3] : id;
        var title = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim() ?? id;
        return new Lesson(id, title, System.IO.Path.GetFullPath(path));
    }
}
