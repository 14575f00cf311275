using Mono.Cecil;

namespace VirtualizationWorkbench.Packager.Building;

/// <summary>Recognizes .NET entry points: assemblies with a Main method and a <c>.runtimeconfig.json</c> beside
/// them, as <c>dotnet build</c> and <c>dotnet publish</c> leave them.</summary>
public static class EntryAssemblies
{
    /// <summary>The entry assemblies of a folder (top level only), relative to it, in name order.</summary>
    public static IReadOnlyList<string> Find(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.dll")
            .Where(path => File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")) && HasEntryPoint(path))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)!];

    /// <summary>Whether the file is a managed assembly with an entry point.</summary>
    public static bool HasEntryPoint(string path)
    {
        try
        {
            using var module = ModuleDefinition.ReadModule(path);
            return module.EntryPoint is not null;
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or IOException)
        {
            return false;
        }
    }
}
