using System.Runtime.InteropServices;
using Mono.Cecil;

namespace VirtualizationWorkbench.Packager.Rewriting;

/// <summary>The shared framework the packager resolves against (the one it runs on): which assembly names
/// belong to it, so that they are never rewritten, and a Cecil resolver that follows type forwarding from
/// <c>System.Runtime</c> or <c>netstandard</c> to where a type is really defined.</summary>
public static class FrameworkAssemblies
{
    /// <summary>The folder of the running shared framework.</summary>
    public static string Folder { get; } = RuntimeEnvironment.GetRuntimeDirectory();

    private static readonly Lazy<HashSet<string>> Names = new(() =>
        new HashSet<string>(System.IO.Directory.EnumerateFiles(Folder, "*.dll").Select(Path.GetFileNameWithoutExtension)!, StringComparer.OrdinalIgnoreCase));

    /// <summary>Whether an assembly of that simple name is part of the shared framework.</summary>
    public static bool Contains(string assemblyName) => Names.Value.Contains(assemblyName);

    /// <summary>A resolver that looks in the shared framework first, then in <paramref name="extraFolders"/>.</summary>
    public static DefaultAssemblyResolver CreateResolver(params string[] extraFolders)
    {
        var resolver = new DefaultAssemblyResolver();
        foreach (var folder in resolver.GetSearchDirectories())
        {
            resolver.RemoveSearchDirectory(folder);
        }
        resolver.AddSearchDirectory(Folder);
        foreach (var folder in extraFolders)
        {
            resolver.AddSearchDirectory(folder);
        }
        return resolver;
    }

    /// <summary>Whether a resolved member is defined in the shared framework (not in the application, whatever
    /// its namespace says).</summary>
    public static bool Defines(IMemberDefinition definition) =>
        definition.DeclaringType is { } type ? Contains(type.Module.Assembly.Name.Name) : definition is TypeDefinition t && Contains(t.Module.Assembly.Name.Name);
}
