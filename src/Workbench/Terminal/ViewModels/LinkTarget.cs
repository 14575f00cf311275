namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>What following a link leads to.</summary>
public enum LinkKind
{
    /// <summary>A heading in the page being read.</summary>
    Anchor,
    /// <summary>Another lesson (maybe at a heading).</summary>
    Lesson,
    /// <summary>A lab.</summary>
    Lab,
    /// <summary>Something the workbench does not open (a web page, a source file): <see cref="LinkTarget.Path"/> says where.</summary>
    Outside,
}

/// <summary>Where a link leads: a kind, the file or lab id, and the heading id after <c>#</c>.</summary>
public sealed record LinkTarget(LinkKind Kind, string Path, string? Anchor)
{
    /// <summary>Resolves <paramref name="url"/> written in the page <paramref name="page"/>; lessons live in
    /// <paramref name="curriculumFolder"/>, labs in <paramref name="labsFolder"/>.</summary>
    public static LinkTarget Resolve(string url, string page, string curriculumFolder, string? labsFolder)
    {
        if (url.Contains("://", StringComparison.Ordinal) || url.StartsWith("mailto:", StringComparison.Ordinal)) return new(LinkKind.Outside, url, null);
        var hash = url.IndexOf('#');
        var file = hash < 0 ? url : url[..hash];
        var anchor = hash < 0 ? null : url[(hash + 1)..];
        if (file.Length == 0) return new(LinkKind.Anchor, page, anchor);
        var target = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(page)!, Uri.UnescapeDataString(file)));
        var curriculum = System.IO.Path.GetFullPath(curriculumFolder) + System.IO.Path.DirectorySeparatorChar;
        if (target.StartsWith(curriculum, StringComparison.Ordinal) && target.EndsWith(".md", StringComparison.Ordinal) && File.Exists(target))
        {
            return new(LinkKind.Lesson, target, anchor);
        }
        if (System.IO.Path.GetFileName(target) == "lab.md" || Directory.Exists(target) && File.Exists(System.IO.Path.Combine(target, "lab.md")))
        {
            var labFolder = System.IO.Path.GetFileName(target) == "lab.md" ? System.IO.Path.GetDirectoryName(target)! : target;
            // Lessons link to labs of the repository layout (../labs/NN-topic/lab.md); the lab id is the folder name.
            if (labsFolder is null || File.Exists(System.IO.Path.Combine(labsFolder, System.IO.Path.GetFileName(labFolder), "lab.md")))
            {
                return new(LinkKind.Lab, System.IO.Path.GetFileName(labFolder), anchor);
            }
        }
        return new(LinkKind.Outside, target, anchor);
    }
}
