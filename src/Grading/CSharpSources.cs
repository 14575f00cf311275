namespace VirtualizationWorkbench.Grading;

/// <summary>The C# files of a project folder, as the SDK would take them: every <c>*.cs</c> below it, except
/// build output (<c>bin/</c>, <c>obj/</c>).</summary>
public static class CSharpSources
{
    /// <summary>The files, in a stable order.</summary>
    public static IReadOnlyList<string> In(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(folder, f)))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Whether a relative path lies in build output.</summary>
    public static bool IsBuildOutput(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(s => s is "bin" or "obj");
}
