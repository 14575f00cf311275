using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;
using VirtualizationWorkbench.Packager.Format;
using VirtualizationWorkbench.Packager.Rewriting;
using VirtualizationWorkbench.Sandbox.Registry;
using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Packager.Building;

/// <summary>Builds a package file from a <see cref="PackageSource"/>: checks the entry points, rewrites the
/// application's own and third-party assemblies (never the framework's), reports what could not be redirected,
/// and writes the package.</summary>
public static class PackageBuilder
{
    /// <summary>Builds <paramref name="source"/> into the package <paramref name="outputPath"/>.</summary>
    /// <param name="source">What to package.</param>
    /// <param name="outputPath">The package file to write.</param>
    /// <param name="strict">Refuse (write nothing) when anything could not be redirected.</param>
    /// <param name="runnable">Make the file a program (<see cref="Format.PackageWriter.RunnablePrelude"/>).</param>
    /// <param name="signingKey">A private key file (<see cref="SigningKey"/>) to sign the package with, or null.</param>
    /// <exception cref="PackagerException">The source cannot be packaged, <paramref name="strict"/> refused it,
    /// or the signing key is unusable (checked first, so a bad key costs no rewriting).</exception>
    public static RewriteReport Build(PackageSource source, string outputPath, bool strict, bool runnable = false, string? signingKey = null)
    {
        using var signer = signingKey is null ? null : SigningKey.Load(signingKey);
        CheckEntryPoints(source);
        var assemblyFolders = source.Files.Values.Select(Path.GetDirectoryName).Distinct().ToArray();
        // Only a .NET entry point runs the rewritten calls (in the workbench's process, beside the sandbox
        // runtime); a package of Linux programs alone is isolated by the kernel boundary, and its assemblies, if
        // any (a framework-dependent tool's apphost starts them), must stay as they are to load without it.
        var rewrites = source.Settings.EntryPoints.Exists(entry => !entry.Native);
        var rewritten = rewrites
            ? RewriteAll([.. source.Files.Values.Distinct(StringComparer.Ordinal).Where(IsRewritable)], assemblyFolders!)
            : [];
        var executables = new HashSet<string>(StringComparer.Ordinal);

        var contents = new Dictionary<string, Func<Stream>>(StringComparer.Ordinal);
        var reports = new List<AssemblyReport>();
        foreach (var (key, path) in source.Files)
        {
            if (contents.ContainsKey(PackageLayout.FilesPrefix + key))
            {
                continue;
            }
            if (!rewritten.TryGetValue(path, out var result))
            {
                contents[PackageLayout.FilesPrefix + key] = () => File.OpenRead(path);
                if (NativePrograms.IsExecutable(path))
                {
                    executables.Add(PackageLayout.FilesPrefix + key);
                }
                continue;
            }
            var (assembly, symbols, report) = result;
            reports.Add(report with { Assembly = key });
            contents[PackageLayout.FilesPrefix + key] = () => new MemoryStream(assembly, writable: false);
            if (symbols is not null)
            {
                contents[PackageLayout.FilesPrefix + Path.ChangeExtension(key, ".pdb")] = () => new MemoryStream(symbols, writable: false);
            }
        }
        var rewriteReport = new RewriteReport(reports);
        if (strict && rewriteReport.Findings.Any())
        {
            throw new PackagerException("--strict: these uses cannot be redirected to the sandbox, so nothing was written:\n" + rewriteReport.ToText());
        }
        var settings = Encoding.UTF8.GetBytes(source.Settings.ToIni());
        var registry = RegFileWriter.Write(source.Registry);
        var reportText = Encoding.UTF8.GetBytes(rewriteReport.ToText());
        contents[PackageLayout.Settings] = () => new MemoryStream(settings, writable: false);
        contents[PackageLayout.Registry] = () => new MemoryStream(registry, writable: false);
        contents[PackageLayout.Report] = () => new MemoryStream(reportText, writable: false);
        var folder = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new PackagerException($"The output folder '{folder}' does not exist.");
        }
        PackageWriter.Write(outputPath, source.Settings.Name, contents, runnable, executables, signer);
        return rewriteReport;
    }

    private static void CheckEntryPoints(PackageSource source)
    {
        if (source.Settings.EntryPoints.Count == 0)
        {
            throw new PackagerException($"The package {source.Settings.Name} has no entry point: add a section such as [{source.Settings.Name}] with Source=%ProgramFilesDir%\\{source.Settings.Name}\\{source.Settings.Name}.dll to {Settings.PackageSettings.FileName}.");
        }
        foreach (var entry in source.Settings.EntryPoints)
        {
            if (!source.Files.TryGetValue(entry.Source, out var path))
            {
                throw new PackagerException($"The entry point {entry.Name} names {entry.Source}, which is not among the package's files.");
            }
            if (entry.Native)
            {
                if (!NativePrograms.IsProgram(path))
                {
                    throw new PackagerException($"The entry point {entry.Name} (Kind=native) names {entry.Source}, which is not an executable Linux program (an ELF executable or a #! script, marked executable).");
                }
            }
            else if (!EntryAssemblies.HasEntryPoint(path))
            {
                throw new PackagerException($"The entry point {entry.Name} names {entry.Source}, which is not a .NET assembly with a Main method{(NativePrograms.Describe(path) is { } kind ? $"; it is {kind}: say Kind=native in its section of Package.ini" : "")}.");
            }
        }
    }

    /// <summary>Rewrites every assembly in <paramref name="paths"/>, on every core: an application of a hundred
    /// assemblies (a compiler, say) takes seconds. Each worker has its own resolver and table, as Cecil's lazily
    /// read modules are not safe to share between threads; the result does not depend on which worker did what.</summary>
    private static Dictionary<string, (byte[] Assembly, byte[]? Symbols, AssemblyReport Report)> RewriteAll(string[] paths, string[] assemblyFolders)
    {
        var results = new (byte[] Assembly, byte[]? Symbols, AssemblyReport Report)[paths.Length];
        try
        {
            Parallel.For(0, paths.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                () =>
                {
                    var resolver = FrameworkAssemblies.CreateResolver(assemblyFolders);
                    return (Resolver: resolver, Table: RedirectionTable.Load(typeof(SandboxRuntime).Assembly.Location, resolver));
                },
                (index, _, worker) =>
                {
                    results[index] = Rewrite(paths[index], worker.Table, worker.Resolver);
                    return worker;
                },
                worker => worker.Resolver.Dispose());
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(inner => inner is PackagerException) is { } first)
        {
            throw first;
        }
        var byPath = new Dictionary<string, (byte[] Assembly, byte[]? Symbols, AssemblyReport Report)>(StringComparer.Ordinal);
        for (var i = 0; i < paths.Length; i++)
        {
            byPath[paths[i]] = results[i];
        }
        return byPath;
    }

    /// <summary>Managed assemblies of the application; never the framework's own (a self-contained app carries
    /// them), nor the sandbox runtime, nor native files.</summary>
    private static bool IsRewritable(string path)
    {
        var extension = Path.GetExtension(path);
        if (!extension.Equals(".dll", StringComparison.OrdinalIgnoreCase) && !extension.Equals(".exe", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var name = Path.GetFileNameWithoutExtension(path);
        if (FrameworkAssemblies.Contains(name) || name == typeof(SandboxRuntime).Assembly.GetName().Name)
        {
            return false;
        }
        try
        {
            using var module = ModuleDefinition.ReadModule(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static (byte[] Assembly, byte[]? Symbols, AssemblyReport Report) Rewrite(string path, RedirectionTable table, IAssemblyResolver resolver)
    {
        var hasSymbols = File.Exists(Path.ChangeExtension(path, ".pdb"));
        var parameters = new ReaderParameters { AssemblyResolver = resolver, InMemory = true, ReadSymbols = hasSymbols };
        ModuleDefinition module;
        try
        {
            module = ModuleDefinition.ReadModule(path, parameters);
        }
        catch (Exception e) when (hasSymbols && e is SymbolsNotMatchingException or SymbolsNotFoundException or BadImageFormatException)
        {
            // Symbols only improve the report; an assembly whose .pdb does not match is rewritten without them.
            hasSymbols = false;
            module = ModuleDefinition.ReadModule(path, new ReaderParameters { AssemblyResolver = resolver, InMemory = true });
        }
        using (module)
        {
            try
            {
                var report = new AssemblyRewriter(table, module).Execute();
                using var assembly = new MemoryStream();
                using var symbols = hasSymbols ? new MemoryStream() : null;
                module.Write(assembly, new WriterParameters
                {
                    DeterministicMvid = true,
                    WriteSymbols = hasSymbols,
                    SymbolStream = symbols,
                    SymbolWriterProvider = hasSymbols ? new PortablePdbWriterProvider() : null,
                });
                return (assembly.ToArray(), symbols?.ToArray(), report);
            }
            catch (Exception e) when (e is ResolutionException or AssemblyResolutionException or NotSupportedException or BadImageFormatException or InvalidOperationException)
            {
                // Cecil's own errors on an assembly it cannot follow (a reference missing from the folder, an
                // image kind it cannot write) are the input's problem: name the assembly, not a stack.
                throw new PackagerException($"'{path}' could not be rewritten ({e.Message}). Check that every assembly it references is in the application folder (a build or publish output), or leave it out of the package.", e);
            }
        }
    }
}
