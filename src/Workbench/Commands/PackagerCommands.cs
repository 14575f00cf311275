using System.CommandLine;
using VirtualizationWorkbench.Packager.Building;
using VirtualizationWorkbench.Packager.Capture;
using VirtualizationWorkbench.Packager.Format;
using VirtualizationWorkbench.Packager.Running;
using VirtualizationWorkbench.Packager.Running.Boundary;
using VirtualizationWorkbench.Packager.Running.Runtime;
using VirtualizationWorkbench.Packager.Settings;
using VirtualizationWorkbench.Packager.Tools;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;
using VirtualizationWorkbench.Sandbox.Registry;
using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Workbench.Commands;

/// <summary>The packager's commands: pack, build, capture, app, sandbox and registry.</summary>
internal static class PackagerCommands
{
    public static Command Pack()
    {
        var folder = new Argument<string>("app-folder") { Description = "The application folder (a build or publish output)." };
        var entries = new Option<string[]>("--entry") { Description = "An entry, relative to the folder: a .NET assembly, or a Linux program (an ELF executable, a NativeAOT or single-file tool, a #! script); repeat for several. Default: every assembly with Main and a .runtimeconfig.json, or where there is none, every executable program at the top level.", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string>("--output", "-o") { Description = "The package file to write.", Required = true };
        var isolation = new Option<string>("--isolation") { Description = "Default isolation: merged, writecopy or full.", DefaultValueFactory = _ => "writecopy" };
        var name = new Option<string?>("--name") { Description = "The package name (default: the first entry's name)." };
        var registry = new Option<string?>("--registry") { Description = "A .reg file to carry as the package's registry." };
        var strict = new Option<bool>("--strict") { Description = "Refuse to write the package when anything cannot be redirected." };
        var isolate = new Option<string[]>("--isolate")
        {
            Description = "A folder's own isolation, FOLDER=merged|writecopy|full (repeat for several); FOLDER as the application sees it (~/.config/App, /srv/data) or as Package.ini names it (%AppData%/App). Subfolders inherit it.",
            AllowMultipleArgumentsPerToken = false,
        };
        var runnable = Runnable();
        var sign = Sign();
        var command = new Command("pack", "Package an application folder into one .vapp file.") { folder, entries, output, isolation, isolate, name, registry, strict, runnable, sign };
        command.SetAction(parse =>
        {
            var mode = ParseIsolation(parse.GetValue(isolation)!);
            var rules = (parse.GetValue(isolate) ?? []).Select(FolderRule).ToList();
            var source = Guarded(() => PackageSource.FromApplicationFolder(parse.GetValue(folder)!, parse.GetValue(entries) ?? [], parse.GetValue(name), mode, parse.GetValue(registry)));
            foreach (var (key, folderMode) in rules) source.Settings.FolderIsolation[key] = folderMode;
            return BuildPackage(source, parse.GetValue(output)!, parse.GetValue(strict), parse.GetValue(runnable), parse.GetValue(sign));
        });
        return command;
    }

    public static Command Build()
    {
        var project = new Argument<string>("project") { Description = "A package project folder (Package.ini, Registry.reg, %Macro% folders)." };
        var output = new Option<string>("--output", "-o") { Description = "The package file to write.", Required = true };
        var strict = new Option<bool>("--strict") { Description = "Refuse to write the package when anything cannot be redirected." };
        var runnable = Runnable();
        var sign = Sign();
        var command = new Command("build", "Build a package project folder into one .vapp file.") { project, output, strict, runnable, sign };
        command.SetAction(parse => BuildPackage(Guarded(() => PackageSource.FromProject(parse.GetValue(project)!)), parse.GetValue(output)!, parse.GetValue(strict), parse.GetValue(runnable), parse.GetValue(sign)));
        return command;
    }

    public static Command Capture()
    {
        var beginFolder = new Argument<string>("folder") { Description = "The folder tree the installer will write to." };
        var beginRegistry = new Option<string?>("--registry") { Description = "A .reg export of the registry before the install." };
        var begin = new Command("begin", "Record a folder tree (and a registry export) before an install.") { beginFolder, beginRegistry };
        begin.SetAction(parse =>
        {
            var snapshot = Guarded(() => CaptureSnapshot.Begin(parse.GetValue(beginFolder)!, parse.GetValue(beginRegistry)));
            Console.WriteLine($"Recorded {snapshot.Files.Count} file(s) under {snapshot.Root}. Install now, then run `workbench capture end {parse.GetValue(beginFolder)} -o PROJECT`.");
            return 0;
        });
        var endFolder = new Argument<string>("folder") { Description = "The folder given to `capture begin`." };
        var endRegistry = new Option<string?>("--registry") { Description = "A .reg export of the registry after the install." };
        var output = new Option<string>("--output", "-o") { Description = "The package project folder to write.", Required = true };
        var name = new Option<string?>("--name") { Description = "The package name." };
        var end = new Command("end", "Turn what changed since `capture begin` into a package project.") { endFolder, endRegistry, output, name };
        end.SetAction(parse =>
        {
            var (project, deleted) = Guarded(() => CaptureSnapshot.Finish(parse.GetValue(endFolder)!, parse.GetValue(endRegistry), parse.GetValue(output)!, parse.GetValue(name)));
            Console.WriteLine($"Wrote the project {parse.GetValue(output)}: {project.Files.Count} file(s), {project.Registry.Keys.Count} registry key(s), entry points: {(project.Settings.EntryPoints.Count == 0 ? "none (add one to Package.ini)" : string.Join(", ", project.Settings.EntryPoints.Select(entry => entry.Name)))}.");
            if (deleted > 0)
            {
                Console.WriteLine($"{deleted} file(s) were deleted by the install; a package cannot delete host files, so they are left out.");
            }
            return 0;
        });
        return new Command("capture", "Capture an install as a package project (begin before it, end after it).") { begin, end };
    }

    public static Command App()
    {
        var package = new Argument<string>("package") { Description = "The .vapp package file." };
        var entry = new Option<string?>("--entry") { Description = "The entry point to start (default: the first)." };
        var sandbox = new Option<string?>("--sandbox") { Description = "The sandbox folder (default: under the user's data folder, named after the package)." };
        var arguments = new Argument<string[]>("arguments") { Description = "Arguments for the application, after --.", Arity = ArgumentArity.ZeroOrMore };
        var trace = new Option<string?>("--trace") { Description = "Log every file and registry access the application makes through the sandbox, with the layer that served it, to this file (ThinApp's Log Monitor); `app inspect PACKAGE --trace FILE` summarises it." };
        var trust = new Option<string[]>("--trust")
        {
            Description = "Trust this signer's public key (a .pub.pem file) for this run, besides those `workbench key trust` added; with any trusted key, the package must be signed by one of them.",
            AllowMultipleArgumentsPerToken = false,
        };
        var run = new Command("run", "Run a package's entry point in its sandbox.") { package, entry, sandbox, trace, trust, arguments };
        run.SetAction(parse => RunPackage(parse.GetValue(package)!, parse.GetValue(entry), parse.GetValue(arguments) ?? [], parse.GetValue(sandbox), parse.GetValue(trace), parse.GetValue(trust)));

        var inspected = new Argument<string>("package") { Description = "The .vapp package file." };
        var summarised = new Option<string?>("--trace") { Description = "Summarise a trace `app run --trace` wrote, after the package's description." };
        var inspect = new Command("inspect", "Show a package's entry points, settings, files, registry and rewrite report.") { inspected, summarised };
        inspect.SetAction(parse =>
        {
            var traceFile = parse.GetValue(summarised);
            if (traceFile is not null && !File.Exists(traceFile)) throw new UserError($"--trace: '{traceFile}' does not exist; `app run PACKAGE --trace FILE` writes one.");
            using var file = OpenPackage(parse.GetValue(inspected)!);
            Console.WriteLine($"Package {file.Settings.Name} ({file.Manifest.Format}, id {file.Id})");
            Console.WriteLine(SignatureLine(file.Signature, Guarded(() => PackageTrust.ForThisUser())));
            Console.WriteLine("\nEntry points:");
            foreach (var point in file.Settings.EntryPoints)
            {
                Console.WriteLine($"  {point.Name} -> {point.Source}{(point.Native ? " (Linux program; no virtual registry)" : "")}");
            }
            Console.WriteLine("\nSettings (Package.ini):");
            Console.WriteLine(Indent(file.Settings.ToIni()));
            Console.WriteLine("Files:");
            foreach (var manifestEntry in file.Manifest.Entries.Where(e => e.Path.StartsWith(PackageLayout.FilesPrefix, StringComparison.Ordinal)))
            {
                Console.WriteLine($"  {manifestEntry.Size,12:N0}  {manifestEntry.Path[PackageLayout.FilesPrefix.Length..]}");
            }
            Console.WriteLine("\nRegistry:");
            Console.WriteLine(Indent(RegFileWriter.ToText(file.Registry).Replace("\r", "", StringComparison.Ordinal)));
            Console.WriteLine("Rewrite report:");
            Console.WriteLine(Indent(file.Report));
            if (traceFile is not null)
            {
                Console.WriteLine($"Trace {traceFile}:");
                try
                {
                    Console.Write(Indent(AccessTrace.Summarise(traceFile)));
                }
                catch (InvalidDataException e)
                {
                    throw new UserError(e.Message);
                }
            }
            return 0;
        });
        var dryRun = new Option<bool>("--dry-run") { Description = "Only say what would be removed." };
        var gc = new Command("gc", "Remove the extractions no package file uses any more (deleted, or rebuilt into other content). Do not run it while an application whose package file you just deleted is still running.") { dryRun };
        gc.SetAction(parse => Guarded(() => CollectExtractions(parse.GetValue(dryRun))));
        var installed = new Argument<string>("package") { Description = "The .vapp package file." };
        var bin = new Option<string?>("--bin") { Description = "The folder for the commands (default: ~/.local/bin)." };
        var applications = new Option<string?>("--applications") { Description = "The folder for desktop entries (default: $XDG_DATA_HOME/applications, or ~/.local/share/applications)." };
        var desktop = new Option<bool>("--desktop") { Description = "Give every entry point a desktop entry, not only the windowed ones (.NET WinExe applications)." };
        var install = new Command("install", "Put a command for each of the package's entry points on your PATH, and a desktop entry for each windowed one (ThinApp's thinreg): typing its name, or choosing it in the menu, runs it packaged.") { installed, bin, applications, desktop };
        install.SetAction(parse => Guarded(() => InstallCommands(parse.GetValue(installed)!, parse.GetValue(bin), parse.GetValue(applications), parse.GetValue(desktop))));
        var removed = new Argument<string>("package") { Description = "The .vapp package file `app install` installed." };
        var removeBin = new Option<string?>("--bin") { Description = "The folder the commands were put in (default: ~/.local/bin)." };
        var removeApplications = new Option<string?>("--applications") { Description = "The folder the desktop entries were put in (default: as for install)." };
        var remove = new Command("remove", "Remove the commands and desktop entries `app install` put in place for a package (nothing else).") { removed, removeBin, removeApplications };
        remove.SetAction(parse => Guarded(() => RemoveCommands(parse.GetValue(removed)!, parse.GetValue(removeBin), parse.GetValue(removeApplications))));
        return new Command("app", "Run and inspect packaged applications.") { run, inspect, gc, install, remove };
    }

    public static Command SandboxTools()
    {
        static (Argument<string> Package, Option<string?> Sandbox) Common() =>
            (new Argument<string>("package") { Description = "The .vapp package file." }, new Option<string?>("--sandbox") { Description = "The sandbox folder, if not the default." });

        var (listPackage, listSandbox) = Common();
        listPackage.Arity = ArgumentArity.ZeroOrOne;
        var listAll = new Option<bool>("--all") { Description = "List every sandbox in the default folder instead, with its size." };
        var list = new Command("list", "List what the application changed: files written, locations deleted, registry.") { listPackage, listSandbox, listAll };
        list.SetAction(parse => parse.GetValue(listAll) ? ListAllSandboxes(parse.GetValue(listPackage)) : WithSandbox(parse.GetValue(listPackage) ?? throw new UserError("sandbox list: name a package (or give --all)."), parse.GetValue(listSandbox), (_, contents) =>
        {
            Console.WriteLine($"Sandbox {contents.Folder}{(contents.Exists ? "" : " (not created yet)")}");
            foreach (var (key, size) in contents.ChangedFiles())
            {
                Console.WriteLine($"  written  {size,12:N0}  {key}");
            }
            foreach (var key in contents.DeletedLocations())
            {
                Console.WriteLine($"  deleted                {key}");
            }
            foreach (var key in contents.RegistryChanges().Keys)
            {
                Console.WriteLine($"  registry {(key.Delete ? "deleted" : "changed"),-7}        {key.Path}");
            }
        }));

        var (showPackage, showSandbox) = Common();
        var show = new Command("show", "Show the sandbox's folder and its registry changes as .reg text.") { showPackage, showSandbox };
        show.SetAction(parse => WithSandbox(parse.GetValue(showPackage)!, parse.GetValue(showSandbox), (_, contents) =>
        {
            var files = contents.ChangedFiles();
            Console.WriteLine($"Sandbox: {contents.Folder}");
            Console.WriteLine($"Files written: {files.Count} ({files.Sum(file => file.Size):N0} bytes); locations deleted: {contents.DeletedLocations().Count}");
            Console.WriteLine("Registry changes:");
            Console.WriteLine(Indent(RegFileWriter.ToText(contents.RegistryChanges()).Replace("\r", "", StringComparison.Ordinal)));
        }));

        var (resetPackage, resetSandbox) = Common();
        var reset = new Command("reset", "Forget every change: the next run starts from the package as built.") { resetPackage, resetSandbox };
        reset.SetAction(parse => WithSandbox(parse.GetValue(resetPackage)!, parse.GetValue(resetSandbox), (_, contents) =>
        {
            contents.Reset();
            Console.WriteLine($"Reset {contents.Folder}.");
        }));

        var (mergePackage, mergeSandbox) = Common();
        var project = new Option<string>("--output", "-o") { Description = "The package project folder to write.", Required = true };
        var merge = new Command("merge", "Write the package as a project folder with the sandbox's changes folded in.") { mergePackage, mergeSandbox, project };
        merge.SetAction(parse => WithSandbox(parse.GetValue(mergePackage)!, parse.GetValue(mergeSandbox), (file, contents) =>
        {
            var folder = parse.GetValue(project)!;
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            {
                throw new UserError($"The project folder '{folder}' exists and is not empty; choose a new folder.");
            }
            contents.MergeInto(file, folder, SandboxLocation.PackageCache(file.Id));
            Console.WriteLine($"Wrote {folder}; build it with `workbench build {folder} -o NEW.vapp`.");
        }));
        var (exportPackage, exportSandbox) = Common();
        var exportPaths = new Argument<string[]>("paths") { Description = "Files or folders as the application saw them (~/report.html, %AppData%/App/out).", Arity = ArgumentArity.OneOrMore };
        var exportTo = new Option<string?>("--to") { Description = "A folder to copy them into (each under its own name); default: the host path the application saw." };
        var exportForce = new Option<bool>("--force") { Description = "Replace host files that exist." };
        var export = new Command("export", "Copy files the application wrote out of its sandbox to the host, on purpose.") { exportPackage, exportPaths, exportSandbox, exportTo, exportForce };
        export.SetAction(parse => WithSandbox(parse.GetValue(exportPackage)!, parse.GetValue(exportSandbox), (_, contents) =>
            ExportFromSandbox(contents, parse.GetValue(exportPaths)!, parse.GetValue(exportTo), parse.GetValue(exportForce))));
        return new Command("sandbox", "Inspect, reset, merge or export from a package's sandbox.") { list, show, reset, merge, export };
    }

    private static int InstallCommands(string package, string? bin, string? applications, bool desktop)
    {
        if (OperatingSystem.IsWindows()) throw new UserError("app install writes shell commands; on Windows run packages with `workbench app run`.");
        var full = Path.GetFullPath(package);
        using var file = OpenPackage(full);
        var folder = Path.GetFullPath(bin ?? PackageRegistration.DefaultCommandFolder());
        var written = Guarded(() => PackageRegistration.Install(full, file.Settings, folder, Path.GetFullPath(applications ?? PackageRegistration.DefaultApplicationsFolder()), desktop));
        foreach (var path in written)
        {
            Console.WriteLine($"Installed {path}");
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(p => p.Length > 0 && Path.TrimEndingDirectorySeparator(Path.GetFullPath(p)) == Path.TrimEndingDirectorySeparator(folder));
        if (!onPath) Console.WriteLine($"{folder} is not on your PATH: add it (export PATH=\"{folder}:$PATH\") to type the commands by name.");
        Console.WriteLine("The commands and desktop entries start the package with `workbench`, which must be on your PATH.");
        return 0;
    }

    private static int RemoveCommands(string package, string? bin, string? applications)
    {
        var full = Path.GetFullPath(package);
        var folder = Path.GetFullPath(bin ?? PackageRegistration.DefaultCommandFolder());
        var removed = PackageRegistration.Remove(full, folder, Path.GetFullPath(applications ?? PackageRegistration.DefaultApplicationsFolder()));
        foreach (var path in removed)
        {
            Console.WriteLine($"Removed {path}");
        }
        if (removed.Count == 0) Console.WriteLine($"Nothing in {folder} or the desktop entries was installed for {full}; nothing removed.");
        return 0;
    }

    private static int ListAllSandboxes(string? package)
    {
        if (package is not null) throw new UserError("sandbox list --all lists every sandbox: give no package with it.");
        var root = Path.Combine(SandboxLocation.DataRoot, "Sandboxes");
        var sandboxes = Directory.Exists(root) ? Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).ToList() : [];
        Console.WriteLine($"Sandboxes in {root}: {sandboxes.Count} (a package whose Package.ini sets SandboxPath keeps its own elsewhere)");
        foreach (var folder in sandboxes)
        {
            var usage = FolderUsage.Of(folder);
            var changed = usage.LastWrite is { } last ? $"  last changed {last:yyyy-MM-dd HH:mm} UTC" : "";
            Console.WriteLine($"  {Path.GetFileName(folder),-32} {usage.Bytes,14:N0} bytes{changed}");
        }
        return 0;
    }

    private static int CollectExtractions(bool dryRun)
    {
        var removed = ExtractionCache.Collect(dryRun);
        var kept = ExtractionCache.List();
        foreach (var extraction in removed)
        {
            Console.WriteLine($"{(dryRun ? "would remove" : "removed")}  {extraction.Id}  {extraction.Bytes,14:N0} bytes");
        }
        Console.WriteLine($"{(dryRun ? "Would free" : "Freed")} {removed.Sum(e => e.Bytes):N0} bytes in {removed.Count} extraction(s) no package file uses; kept {(dryRun ? kept.Count - removed.Count : kept.Count)} in {ExtractionCache.Folder}.");
        return 0;
    }

    // Every copy is planned and checked before the first is made: an export that cannot be done whole does nothing.
    private static void ExportFromSandbox(SandboxContents contents, string[] paths, string? to, bool force)
    {
        var macros = FolderMacros.ForThisMachine();
        var copies = new List<(string Source, string Destination, long Size)>();
        foreach (var path in paths)
        {
            var location = Place(path, "sandbox export");
            var written = contents.WrittenAt(location);
            if (written.Count == 0)
            {
                throw new UserError($"sandbox export: the application wrote nothing at '{path}' ({location.Key}); `workbench sandbox list` shows what it wrote.");
            }
            foreach (var (key, physical, size) in written)
            {
                var file = VirtualLocation.ParseKey(key);
                var destination = to is null
                    ? macros.HostFolder(file.Macro) is null ? throw new UserError($"sandbox export: {file.Macro} has no folder on this machine; give --to DIR.") : macros.HostPath(file)
                    : Path.Combine(Path.GetFullPath(to), location.Name, key.Length == location.Key.Length ? "" : key[(location.Key.Length + 1)..].Replace('/', Path.DirectorySeparatorChar)).TrimEnd(Path.DirectorySeparatorChar);
                copies.Add((physical, destination, size));
            }
        }
        var existing = copies.Where(c => File.Exists(c.Destination) || Directory.Exists(c.Destination)).Select(c => c.Destination).ToList();
        if (existing.Count > 0 && !force)
        {
            throw new UserError($"sandbox export: {existing.Count} file(s) exist on the host, {string.Join(", ", existing.Take(3))}{(existing.Count > 3 ? ", …" : "")}; add --force to replace them, or --to DIR to copy elsewhere. Nothing was copied.");
        }
        foreach (var (source, destination, _) in copies)
        {
            if (Directory.Exists(destination)) throw new UserError($"sandbox export: '{destination}' is a folder on the host; it cannot be replaced by a file. Nothing more was copied.");
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            AtomicFile.Copy(source, destination);
        }
        Console.WriteLine($"Exported {copies.Count} file(s), {copies.Sum(c => c.Size):N0} bytes{(to is null ? " to where the application saw them" : $" to {Path.GetFullPath(to)}")}:");
        foreach (var (_, destination, _) in copies) Console.WriteLine($"  {destination}");
    }

    public static Command RegistryTools()
    {
        var package = new Argument<string>("package") { Description = "The .vapp package file." };
        var output = new Option<string?>("--output", "-o") { Description = "The .reg file to write (default: standard output)." };
        var sandbox = new Option<string?>("--sandbox") { Description = "The sandbox folder, if not the default." };
        var packageOnly = new Option<bool>("--package-only") { Description = "Export the package's hive without the sandbox's changes." };
        var regedit4 = new Option<bool>("--regedit4") { Description = "Write the REGEDIT4 format instead of version 5." };
        var export = new Command("export", "Export the registry the application sees as a .reg file.") { package, output, sandbox, packageOnly, regedit4 };
        export.SetAction(parse => WithSandbox(parse.GetValue(package)!, parse.GetValue(sandbox), (file, contents) =>
        {
            var hive = new RegistryTree();
            hive.Apply(file.Registry, asChanges: false);
            var view = new VirtualRegistry(hive);
            if (!parse.GetValue(packageOnly))
            {
                view.Changes.Apply(contents.RegistryChanges(), asChanges: true);
            }
            var version = parse.GetValue(regedit4) ? RegFileVersion.Regedit4 : RegFileVersion.Version5;
            var document = view.Snapshot().ToDocument();
            if (parse.GetValue(output) is { } path)
            {
                var bytes = RegFileWriter.Write(document, version);
                AtomicFile.Write(Path.GetFullPath(path), stream => stream.Write(bytes));
                Console.WriteLine($"Wrote {document.Keys.Count} key(s) to {path}.");
            }
            else
            {
                Console.Write(RegFileWriter.ToText(document, version).Replace("\r", "", StringComparison.Ordinal));
            }
        }));
        return new Command("registry", "Work with a package's virtual registry.") { export };
    }

    private static Option<string?> Sign() => new("--sign")
    {
        Description = "Sign the package with this private key (PEM; `workbench key new FILE` makes one): `app run` then refuses it if any file or setting is changed, and users who trust your public key run only what you signed.",
    };

    // What `app inspect` says of a package's signature, and of its signer against the user's trusted keys.
    private static string SignatureLine(PackageSignature? signature, PackageTrust trust) => (signature, trust.Required) switch
    {
        (null, false) => "Unsigned (it runs: you trust no signing key, so signatures are optional).",
        (null, true) => "Unsigned: `app run` refuses it, since you trust signing keys.",
        ({ } signed, _) when trust.Required && !trust.Accepts(signed.SignerKey) => $"Signed by the key {signed.Fingerprint}; the signature verifies, but the key is not among those you trust, so `app run` refuses it.",
        ({ } signed, true) => $"Signed by the key {signed.Fingerprint}, which you trust; the signature verifies.",
        ({ } signed, false) => $"Signed by the key {signed.Fingerprint}; the signature verifies (trust keys with `workbench key trust` to require it).",
    };

    private static Option<bool> Runnable() => new("--runnable")
    {
        Description = "Make the package file a program: `./App.vapp ARGS` runs it through the workbench on the PATH (a short shell prelude before the zip; zip tools still read it).",
    };

    private static int BuildPackage(PackageSource source, string output, bool strict, bool runnable, string? signingKey)
    {
        var report = Guarded(() => PackageBuilder.Build(source, output, strict, runnable, signingKey));
        var findings = report.Findings.Count();
        Console.WriteLine($"Wrote {output}: {source.Files.Count} file(s), {report.Assemblies.Count} assembly(ies) rewritten, {report.Assemblies.Sum(a => a.RedirectedCalls)} call(s) redirected, {findings} finding(s){(signingKey is null ? "" : ", signed")}.");
        if (findings > 0)
        {
            Console.WriteLine("Not redirected: on Linux the kernel boundary contains what these do to files (they follow the isolation rules); where the sandbox is advisory they reach the host (docs/packager.md, \"What is enforced\"; `workbench app inspect` shows this again):");
            Console.Write(Indent(report.ToText()));
        }
        return 0;
    }

    internal static int RunPackage(string package, string? entry, string[] arguments, string? sandbox, string? trace = null, string[]? trustedKeys = null)
    {
        if (trace is not null && Path.GetDirectoryName(Path.GetFullPath(trace)) is { } traceFolder && !Directory.Exists(traceFolder))
        {
            throw new UserError($"--trace: the folder '{traceFolder}' does not exist; make it, or name a file in a folder that does.");
        }
        // Inside the kernel boundary the trace goes where the workbench outside asked (the sandbox's folder, which
        // is writable there), and that one moves it to the file the user named.
        var handedTrace = Environment.GetEnvironmentVariable(AccessTrace.Variable) is { Length: > 0 } handed && KernelBoundary.InsideFor is not null ? handed : null;
        // Everything the workbench is responsible for is checked before the application starts, so those errors
        // read as the user's to fix, and the application's own exceptions as the application's.
        SandboxSession session;
        string entryPath;
        EntryPoint entryPoint;
        try
        {
            // Inside the kernel boundary the workbench outside has checked the signer (the key files may be hidden here).
            (session, entryPath, entryPoint) = Guarded(() => PackageLauncher.Prepare(package, entry, arguments, sandbox, KernelBoundary.InsideFor is null ? PackageTrust.ForThisUser(trustedKeys) : PackageTrust.None));
        }
        catch (ApplicationLaunchException e)
        {
            // The application could not start unpackaged either: said as the .NET host says it, with its status.
            Console.Error.WriteLine(e.Message);
            return e.ExitCode;
        }
        if (entryPoint.Native)
        {
            return RunProgram(session, entryPath, entryPoint, arguments, trace);
        }
        if (KernelBoundary.InsideFor is null || !KernelBoundary.InUserNamespace())
        {
            var reason = KernelBoundary.Unavailable();
            if (reason is null)
            {
                var inside = trace is null ? null : Path.Combine(session.FileSystem.Sandbox.Root, $"trace-{Guid.NewGuid():N}.tmp");
                if (inside is not null) Environment.SetEnvironmentVariable(AccessTrace.Variable, inside);
                int? code;
                try
                {
                    code = KernelBoundary.Run(session.FileSystem, Path.GetFileName(session.FileSystem.Package.Root), KernelBoundary.ThisCommandLine(typeof(PackagerCommands).Assembly.Location), out var failure);
                    reason = failure;
                }
                finally
                {
                    if (inside is not null)
                    {
                        Environment.SetEnvironmentVariable(AccessTrace.Variable, null);
                        if (File.Exists(inside)) File.Move(inside, Path.GetFullPath(trace!), overwrite: true);
                    }
                }
                if (code is { } exitCode)
                {
                    return exitCode;
                }
                reason = $"the kernel boundary could not be made: {reason}";
            }
            Console.Error.WriteLine(KernelBoundary.AdvisoryNotice(reason));
        }
        if (ApplicationGlobalization.InvariantCameTooLate && Environment.GetEnvironmentVariable(FreshProcessVariable) is null)
        {
            return RunInFreshProcess();
        }
        var tracePath = handedTrace ?? (trace is null ? null : Path.GetFullPath(trace));
        // Inside the kernel boundary (the workbench there was handed the trace) the processes it starts are held by
        // the kernel's rules; otherwise they act on the host.
        using var log = tracePath is null ? null : new AccessTrace(tracePath) { ProcessIsolation = handedTrace is null ? "host" : "kernel boundary" };
        session.FileSystem.Trace = log;
        session.Registry.Trace = log;
        try
        {
            return PackageLauncher.Start(session, entryPath, arguments);
        }
        catch (Exception e) when (e is not UserError)
        {
            // The application's own unhandled exception: reported as the runtime reports one, not as a workbench
            // error, and with the runtime's exit status for it (SIGABRT on Unix).
            Console.Error.WriteLine($"Unhandled exception. {e}");
            return OperatingSystem.IsWindows() ? unchecked((int)0xE0434352) : 134;
        }
    }

    /// <summary>Runs a package's Linux program inside the kernel boundary, which is its only isolation (its calls
    /// are not rewritten), so that it never runs without it.</summary>
    private static int RunProgram(SandboxSession session, string programPath, EntryPoint entryPoint, string[] arguments, string? trace)
    {
        if (trace is not null)
        {
            throw new UserError($"--trace: {entryPoint.Name} is a Linux program; the kernel enforces its isolation but reports no accesses (the trace records those of .NET applications). Run it without --trace; `workbench sandbox show` lists what it changed.");
        }
        if (KernelBoundary.Unavailable() is { } unavailable)
        {
            throw new UserError($"{entryPoint.Name} is a Linux program, which runs only inside the kernel boundary, and the boundary is not available here ({unavailable}); nothing ran. See docs/packager.md, \"What is enforced\".");
        }
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in session.Environment.PackageVariableNames)
        {
            if (session.Environment.GetVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }
        var program = KernelBoundary.ProgramPath(session.FileSystem, entryPoint.Source, programPath);
        var code = KernelBoundary.Run(session.FileSystem, Path.GetFileName(session.FileSystem.Package.Root), [program, .. arguments], out var failure, environment);
        return code ?? throw new UserError($"{entryPoint.Name} is a Linux program, which runs only inside the kernel boundary, and the boundary could not be made ({failure}); nothing ran.");
    }

    // Set for the one fresh process a start may hand over to, so that it never hands over again.
    private const string FreshProcessVariable = "VWB_APP_RUN_FRESH_PROCESS";

    /// <summary>Runs this same command line again in a new process, with the standard streams shared, and returns
    /// its exit code: for an application whose globalization this process can no longer give it.</summary>
    private static int RunInFreshProcess()
    {
        var start = new System.Diagnostics.ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(PackagerCommands).Assembly.Location);
        }
        foreach (var argument in Environment.GetCommandLineArgs().Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment[FreshProcessVariable] = "1";
        using var process = System.Diagnostics.Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private static int WithSandbox(string package, string? sandbox, Action<PackageFile, SandboxContents> action)
    {
        using var file = OpenPackage(package);
        Guarded(() =>
        {
            action(file, SandboxContents.Of(file, sandbox));
            return 0;
        });
        return 0;
    }

    private static PackageFile OpenPackage(string path) => Guarded(() => PackageFile.Open(path));

    // --isolate FOLDER=MODE: the folder's location key and its mode.
    private static (string Key, IsolationMode Mode) FolderRule(string rule)
    {
        var equals = rule.LastIndexOf('=');
        if (equals <= 0 || equals == rule.Length - 1)
        {
            throw new UserError($"--isolate '{rule}': write FOLDER=MODE, for example ~/.config/App=full or %AppData%/App=merged.");
        }
        var mode = IsolationModes.TryParse(rule[(equals + 1)..], out var parsed)
            ? parsed
            : throw new UserError($"--isolate '{rule}': '{rule[(equals + 1)..]}' is not an isolation mode; use one of {IsolationModes.Accepted}.");
        // A whole macro folder (%AppData%=full) is a rule too: it covers everything below it.
        return (Place(rule[..equals], "--isolate").Key, mode);
    }

    // A folder or file as the user names it: a %Macro% path, or a host path (~ for the home folder), placed under
    // this machine's folder macros.
    private static VirtualLocation Place(string text, string option)
    {
        var macros = FolderMacros.ForThisMachine();
        if (text.StartsWith('%'))
        {
            var key = text.Replace('\\', '/').TrimEnd('/');
            var macro = key.Split('/')[0];
            if (macros.CanonicalName(macro) is not { } canonical)
            {
                throw new UserError($"{option} '{text}': {macro} is not a folder macro of this machine; use one of {string.Join(", ", macros.Names.Order(StringComparer.Ordinal))}, or a host path.");
            }
            return VirtualLocation.ParseKey(canonical + key[macro.Length..]);
        }
        var path = text == "~" || text.StartsWith("~/", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + text[1..]
            : text;
        try
        {
            return macros.Locate(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        }
        catch (ArgumentException)
        {
            throw new UserError($"{option} '{text}': the path is under no folder an application sees through the package's folder macros.");
        }
    }

    private static IsolationMode ParseIsolation(string text) =>
        IsolationModes.TryParse(text, out var mode) ? mode : throw new UserError($"'{text}' is not an isolation mode; use one of {IsolationModes.Accepted}.");

    private static T Guarded<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is PackagerException or PackageFormatException or PackageSettingsException or RegFileFormatException or UnauthorizedAccessException)
        {
            throw new UserError(e.Message);
        }
    }

    private static string Indent(string text) =>
        string.Join('\n', text.TrimEnd('\n').Split('\n').Select(line => "  " + line)) + "\n";
}
