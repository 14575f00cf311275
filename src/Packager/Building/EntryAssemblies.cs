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

    /// <summary>Whether the entry assembly at <paramref name="path"/> was built for invariant globalization
    /// (<c>System.Globalization.Invariant</c> in the <c>runtimeconfig.json</c> beside it).</summary>
    public static bool UsesInvariantGlobalization(string path)
    {
        try
        {
            using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(path, ".runtimeconfig.json")));
            return config.RootElement.TryGetProperty("runtimeOptions", out var options)
                && options.TryGetProperty("configProperties", out var properties)
                && properties.TryGetProperty("System.Globalization.Invariant", out var invariant)
                && invariant.ValueKind == System.Text.Json.JsonValueKind.True;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Whether the assembly at <paramref name="path"/> was built to open windows rather than use a terminal
    /// (<c>OutputType=WinExe</c>, which marks its PE header's subsystem as the Windows GUI one on every OS).</summary>
    public static bool IsWindowed(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
            return reader.PEHeaders.PEHeader?.Subsystem == System.Reflection.PortableExecutable.Subsystem.WindowsGui;
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

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
