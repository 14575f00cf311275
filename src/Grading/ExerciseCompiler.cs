using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// Compiles a folder of C# files into one assembly with Roslyn, with the settings of the exercise projects
/// (nullable on, the SDK's implicit usings, latest language), against the .NET runtime and the given assemblies.
/// Only <c>.cs</c> files are read: a submission's project file, and any build logic in it, never runs.
/// Warnings do not fail a submission: grading is about behaviour.
/// </summary>
public static class ExerciseCompiler
{
    // The SDK's implicit usings for Microsoft.NET.Sdk projects.
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    /// <summary>Compiles <paramref name="sources"/> (paths under <paramref name="folder"/>) into
    /// <paramref name="outputPath"/>. Returns the errors, each as <c>file(line,col): error CSnnnn: message</c>
    /// with the file relative to <paramref name="folder"/>; empty on success.</summary>
    public static IReadOnlyList<string> Compile(string assemblyName, string folder, IReadOnlyList<string> sources, IEnumerable<string> references, string outputPath)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, Path.GetRelativePath(folder, f), System.Text.Encoding.UTF8))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "GlobalUsings.g.cs", System.Text.Encoding.UTF8))
            .ToList();
        var compilation = CSharpCompilation.Create(
            assemblyName,
            trees,
            FrameworkReferences().Concat(references.Select(r => MetadataReference.CreateFromFile(r))),
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                optimizationLevel: OptimizationLevel.Debug,
                deterministic: true));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        using var dll = File.Create(outputPath);
        using var pdb = File.Create(Path.ChangeExtension(outputPath, ".pdb"));
        var result = compilation.Emit(dll, pdb, options: new Microsoft.CodeAnalysis.Emit.EmitOptions(debugInformationFormat: Microsoft.CodeAnalysis.Emit.DebugInformationFormat.PortablePdb));
        var errors = result.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .ToList();
        if (errors.Count == 0 && !result.Success) errors.Add($"{assemblyName}: the compiler failed without saying why");
        return errors;
    }

    // The runtime's own assemblies only: a submission compiles against .NET and the references it is given, not
    // against whatever the workbench itself happens to carry.
    private static ImmutableArray<MetadataReference> FrameworkReferences()
    {
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();
        var all = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return [.. all.Where(p => p.StartsWith(runtime, StringComparison.Ordinal)).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
