using System.IO.Enumeration;
using VirtualizationWorkbench.Sandbox.Paths;
using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Sandbox.FileSystem;

/// <summary>The filesystem the packaged application sees: the sandbox (its changes) over the package (read-only)
/// over the host, each folder showing and changing the host as its <see cref="IsolationMode"/> says.
/// <para>Reads look in the sandbox, then the package, then the host. Writes to the package's files, and all
/// writes under write-copy and full isolation, land in the sandbox; a file opened for update is copied there
/// first. Under merged isolation the host's own files are read and written in place.</para>
/// <para>Every path is made absolute and free of <c>.</c> and <c>..</c> before any rule applies, and the
/// sandbox's and package's copies are built from the resulting location, so no spelling of a path reaches
/// outside them. Where per-folder rules differ, host paths are followed through symbolic links first, so a
/// link cannot carry a write into a folder whose rule forbids it.</para></summary>
public sealed class VirtualFileSystem
{
    private const int MaxLinkHops = 40;

    // The whole content of one folder, hidden entries included: what deleting or moving a folder must see.
    private static readonly EnumerationOptions EveryEntry = new() { AttributesToSkip = 0, IgnoreInaccessible = false };

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _realMacroFolders = new(FolderMacros.PathComparer);

    /// <summary>Creates the view.</summary>
    public VirtualFileSystem(FolderMacros macros, IsolationPolicy policy, PackageLayer package, SandboxLayer sandbox)
    {
        Macros = macros;
        Policy = policy;
        Package = package;
        Sandbox = sandbox;
    }

    /// <summary>This machine's folder macros.</summary>
    public FolderMacros Macros { get; }

    /// <summary>The isolation mode of every folder.</summary>
    public IsolationPolicy Policy { get; }

    /// <summary>The package's files.</summary>
    public PackageLayer Package { get; }

    /// <summary>The application's changes.</summary>
    public SandboxLayer Sandbox { get; }

    /// <summary>The log monitor, when <c>app run --trace</c> asked for one.</summary>
    public AccessTrace? Trace { get; set; }

    // The layer a physical path belongs to, for the trace.
    private string LayerOf(in Target target, string? physical) =>
        physical is null ? "none"
        : physical == target.SandboxPath ? "sandbox"
        : physical == target.PackagePath || physical.StartsWith(Package.Root, StringComparison.Ordinal) ? "package"
        : "host";

    /// <summary>Where a path stands in every layer.</summary>
    /// <param name="Location">Its location.</param>
    /// <param name="Mode">The isolation mode there.</param>
    /// <param name="HostPath">The host path of the location.</param>
    /// <param name="SandboxPath">The sandbox's copy.</param>
    /// <param name="PackagePath">The package's file there, or null.</param>
    /// <param name="LowerHidden">Whether the package's and host's contents there were deleted.</param>
    public readonly record struct Target(VirtualLocation Location, IsolationMode Mode, string HostPath, string SandboxPath, string? PackagePath, bool LowerHidden)
    {
        /// <summary>Whether the host is visible here.</summary>
        public bool HostVisible => Mode != IsolationMode.Full && !LowerHidden;

        /// <summary>Whether the package is visible here.</summary>
        public bool PackageVisible => !LowerHidden;
    }

    /// <summary>Places an absolute path in every layer.</summary>
    /// <exception cref="UnauthorizedAccessException">The path names the sandbox's own bookkeeping.</exception>
    public Target Resolve(string fullPath)
    {
        var location = LocationOf(fullPath);
        if ((!Policy.IsUniform || IsolationPolicy.IsSystemView(location)) && Policy.ModeOf(location) != IsolationMode.Full)
        {
            // Only host paths can hold links the application did not make through the sandbox; where the rules
            // differ between folders, the rule of the folder a link leads to is the one that counts. The system's
            // views differ from a Full rule around them, and are full of links (/proc/self/root leads to /, so
            // /proc/self/root/home is the hidden home folder).
            var real = FollowLinks(location);
            if (!string.Equals(real, Macros.HostPath(location), FolderMacros.PathComparison))
            {
                location = LocationOf(real);
            }
        }
        var hidden = Sandbox.IsHidden(location);
        return new Target(location, Policy.ModeOf(location), Macros.HostPath(location), Sandbox.PhysicalPath(location),
            hidden ? null : Package.FindFile(location), hidden);
    }

    /// <summary>The location of an absolute path, seeing through the two aliases the application may hold: the
    /// folder the package was extracted to, and the sandbox folder its environment points into.</summary>
    public VirtualLocation LocationOf(string fullPath)
    {
        if (Package.TryAlias(fullPath, Macros, out var packaged))
        {
            return packaged;
        }
        if (Sandbox.TryAlias(fullPath, Macros, out var sandboxed))
        {
            return sandboxed;
        }
        if (FolderMacros.IsUnder(fullPath, Sandbox.Root, out _))
        {
            Trace?.File("access", "refused: sandbox bookkeeping", fullPath);
            throw new UnauthorizedAccessException($"Access to the path '{fullPath}' is denied: it is the sandbox's own bookkeeping.");
        }
        return Macros.Locate(fullPath);
    }

    /// <summary>The file to read for <paramref name="fullPath"/>, or null when there is none.</summary>
    public string? FindFile(string fullPath)
    {
        var target = Resolve(fullPath);
        var found = FindFile(target);
        Trace?.File("find", LayerOf(target, found), fullPath);
        return found;
    }

    /// <summary>The file to read for <paramref name="target"/>, or null when there is none. A lookup that misses
    /// the sandbox costs one filesystem call more than reading the host directly: the package is indexed in memory.</summary>
    public static string? FindFile(in Target target)
    {
        if (File.Exists(target.SandboxPath))
        {
            return target.SandboxPath;
        }
        if (target.PackagePath is not null)
        {
            return target.PackagePath;
        }
        return target.HostVisible && File.Exists(target.HostPath) ? target.HostPath : null;
    }

    /// <summary>The file to open for reading <paramref name="fullPath"/>: like <see cref="FindFile(string)"/>, but a
    /// host path is returned without checking it, because opening it reports a missing file by itself. So a read
    /// that misses the sandbox costs exactly one filesystem call more than a direct read.</summary>
    public string? PathToRead(string fullPath)
    {
        var target = Resolve(fullPath);
        var read = File.Exists(target.SandboxPath) ? target.SandboxPath : target.PackagePath ?? (target.HostVisible ? target.HostPath : null);
        if (Trace is { } trace)
        {
            // A host path is returned unchecked (opening it says whether it is there); the trace checks it.
            trace.File("read", read == target.HostPath && !File.Exists(read) ? "none" : LayerOf(target, read), fullPath);
        }
        return read;
    }

    /// <summary>Whether a file exists at <paramref name="fullPath"/>.</summary>
    public bool FileExists(string fullPath) => FindFile(fullPath) is not null;

    /// <summary>Whether a folder exists at <paramref name="fullPath"/>.</summary>
    public bool DirectoryExists(string fullPath) => FindDirectory(Resolve(fullPath)) is not null;

    /// <summary>A physical folder standing for the folder at <paramref name="target"/> (to read its attributes and
    /// times), or null when the folder does not exist.</summary>
    public string? FindDirectory(in Target target)
    {
        if (Directory.Exists(target.SandboxPath))
        {
            return target.SandboxPath;
        }
        if (target.PackageVisible && Package.HasDirectory(target.Location))
        {
            return Path.Combine(Package.Root, target.Location.Macro, target.Location.Relative);
        }
        if (target.HostVisible && Directory.Exists(target.HostPath))
        {
            return target.HostPath;
        }
        // Macro folders, and the folders above them, always exist in the virtual view, as in ThinApp: an
        // application may count on its home folder even under full isolation.
        return IsMacroFolderOrAbove(target.HostPath) ? target.SandboxPath : null;
    }

    /// <summary>The file or folder to read attributes and times from, or null.</summary>
    public string? FindEntry(string fullPath)
    {
        var target = Resolve(fullPath);
        return FindFile(target) ?? FindDirectory(target);
    }

    /// <summary>Where a write to <paramref name="fullPath"/> goes, with the folder above it made ready there.
    /// With <paramref name="keepContent"/>, an existing file of a lower layer is copied first (copy-on-write),
    /// so that an update or an append starts from its content.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder above does not exist in the virtual view.</exception>
    public string PrepareWrite(string fullPath, bool keepContent)
    {
        var target = Resolve(fullPath);
        var parent = Path.GetDirectoryName(target.HostPath);
        if (parent is not null && !DirectoryExists(parent))
        {
            throw new DirectoryNotFoundException($"Could not find a part of the path '{fullPath}'.");
        }
        if (WritesToHost(target))
        {
            Trace?.File("write", "host", fullPath);
            return target.HostPath;
        }
        Trace?.File("write", "sandbox", fullPath);
        EnsureSandboxDirectory(Path.GetDirectoryName(target.HostPath)!);
        if (new FileInfo(target.SandboxPath).LinkTarget is not null)
        {
            // The sandbox keeps no links of its own: one planted there (by a child process, or native code, whose
            // HOME points into it) would carry this write out of the sandbox. It goes, and the file is made anew.
            File.Delete(target.SandboxPath);
        }
        if (keepContent && !File.Exists(target.SandboxPath) && FindFile(target) is { } lower)
        {
            AtomicFile.Copy(lower, target.SandboxPath);
        }
        return target.SandboxPath;
    }

    /// <summary>Writes a whole file at once (temporary file and rename).</summary>
    public void WriteAtomically(string fullPath, Action<Stream> write)
    {
        RefuseFolder(fullPath);
        var physical = PrepareWrite(fullPath, keepContent: false);
        // A host file under merged isolation is written as in place, through a link; a sandbox file never is.
        AtomicFile.Write(physical, write, throughLinks: !FolderMacros.IsUnder(physical, Sandbox.Root, out _));
    }

    /// <summary>Opens a file as <see cref="FileStream"/> would, on the layer the mode and access call for: reads
    /// from wherever the file is, writes on the write layer (after copying the file there when its content is
    /// kept). Sharing is the operating system's, on the one physical file every opener reaches.</summary>
    public FileStream OpenFile(string fullPath, FileMode mode, FileAccess access, FileShare share, int bufferSize = 4096, FileOptions options = FileOptions.None)
    {
        var (physical, physicalMode) = PrepareOpen(fullPath, mode, access);
        return new FileStream(physical, physicalMode, access, share, bufferSize, options);
    }

    /// <summary>Everything <see cref="OpenFile"/> does before it opens: the checks, and the copy of a package or
    /// host file into the sandbox when it will be written. Returns the physical file and the mode to open it
    /// with (a sandbox copy that <see cref="FileMode.Open"/> may find missing is opened to be created).</summary>
    /// <exception cref="FileNotFoundException">The mode needs the file and there is none.</exception>
    /// <exception cref="IOException">The mode is <see cref="FileMode.CreateNew"/> and the file exists.</exception>
    public (string Path, FileMode Mode) PrepareOpen(string fullPath, FileMode mode, FileAccess access)
    {
        if (access == FileAccess.Read && mode == FileMode.Open)
        {
            return (PathToRead(fullPath) ?? throw new FileNotFoundException($"Could not find file '{fullPath}'.", fullPath), FileMode.Open);
        }
        var target = Resolve(fullPath);
        var existing = FindFile(target);
        if (access == FileAccess.Read && mode == FileMode.OpenOrCreate && existing is not null)
        {
            return (existing, FileMode.Open);
        }
        switch (mode)
        {
            case FileMode.Open or FileMode.Truncate when existing is null:
                throw new FileNotFoundException($"Could not find file '{fullPath}'.", fullPath);
            case FileMode.CreateNew when existing is not null:
                throw new IOException($"The file '{fullPath}' already exists.");
        }
        if (existing is null)
        {
            RefuseFolder(fullPath);
        }
        var keepContent = mode is FileMode.Open or FileMode.OpenOrCreate or FileMode.Append;
        var physical = PrepareWrite(fullPath, keepContent);
        var physicalMode = mode switch
        {
            FileMode.Truncate => FileMode.Create,
            FileMode.Open => FileMode.OpenOrCreate,
            _ => mode,
        };
        return (physical, physicalMode);
    }

    /// <summary>Deletes the file at <paramref name="fullPath"/>; like <see cref="File.Delete"/>, a missing file is
    /// not an error.</summary>
    public void DeleteFile(string fullPath)
    {
        if (TryDeleteHostLink(fullPath))
        {
            return;
        }
        var target = Resolve(fullPath);
        Trace?.File("delete", FindFile(target) is { } existing ? (target.Mode == IsolationMode.Merged && existing == target.HostPath ? "host" : "sandbox") : "none", fullPath);
        if (Directory.Exists(target.SandboxPath) || (FindFile(target) is null && FindDirectory(target) is not null))
        {
            throw new UnauthorizedAccessException($"Access to the path '{fullPath}' is denied: it is a folder.");
        }
        if (Path.GetDirectoryName(fullPath) is { } parent && !DirectoryExists(parent))
        {
            throw new DirectoryNotFoundException($"Could not find a part of the path '{fullPath}'.");
        }
        if (File.Exists(target.SandboxPath))
        {
            File.Delete(target.SandboxPath);
        }
        if (target.PackagePath is not null)
        {
            Sandbox.Hide(target.Location);
        }
        else if (target.HostVisible && File.Exists(target.HostPath))
        {
            if (target.Mode == IsolationMode.Merged)
            {
                File.Delete(target.HostPath);
            }
            else
            {
                Sandbox.Hide(target.Location);
            }
        }
    }

    /// <summary>Creates the folder at <paramref name="fullPath"/> and those above it.</summary>
    public void CreateDirectory(string fullPath)
    {
        var target = Resolve(fullPath);
        if (FindFile(target) is not null)
        {
            throw new IOException($"The file '{fullPath}' already exists.");
        }
        if (FindDirectory(target) is not null)
        {
            return;
        }
        var parent = Path.GetDirectoryName(target.HostPath);
        if (parent is not null)
        {
            CreateDirectory(parent);
        }
        if (WritesToHost(target))
        {
            Trace?.File("mkdir", "host", fullPath);
            Directory.CreateDirectory(target.HostPath);
        }
        else
        {
            Trace?.File("mkdir", "sandbox", fullPath);
            Directory.CreateDirectory(target.SandboxPath);
        }
    }

    /// <summary>Deletes the folder at <paramref name="fullPath"/>; it must be empty unless <paramref name="recursive"/>.</summary>
    public void DeleteDirectory(string fullPath, bool recursive)
    {
        // A link to a folder is deleted as the link, never through it: unpackaged, the folder it leads to is kept.
        if (Directory.Exists(fullPath) && TryDeleteHostLink(fullPath))
        {
            return;
        }
        var target = Resolve(fullPath);
        if (FindDirectory(target) is null || IsMacroFolderOrAbove(target.HostPath) && !Directory.Exists(target.SandboxPath) && !Directory.Exists(target.HostPath))
        {
            throw new DirectoryNotFoundException($"Could not find a part of the path '{fullPath}'.");
        }
        var entries = Enumerate(target.HostPath, "*", EveryEntry, files: true, directories: true).ToList();
        if (entries.Count > 0 && !recursive)
        {
            throw new IOException($"Directory not empty : '{fullPath}'");
        }
        if (target.Mode == IsolationMode.Merged && target.HostVisible && Directory.Exists(target.HostPath))
        {
            foreach (var entry in entries)
            {
                // Package files and sandbox copies under a merged folder are virtual; they go the virtual way.
                if (DirectoryExists(entry))
                {
                    DeleteDirectory(entry, recursive: true);
                }
                else
                {
                    DeleteFile(entry);
                }
            }
            if (Directory.Exists(target.HostPath))
            {
                Directory.Delete(target.HostPath, recursive: true);
            }
        }
        if (Directory.Exists(target.SandboxPath))
        {
            Directory.Delete(target.SandboxPath, recursive: true);
        }
        if ((target.PackageVisible && Package.HasDirectory(target.Location)) || (target.HostVisible && Directory.Exists(target.HostPath)))
        {
            Sandbox.Hide(target.Location);
        }
    }

    /// <summary>Copies a file (atomically at the destination).</summary>
    public void CopyFile(string sourceFullPath, string destinationFullPath, bool overwrite)
    {
        if (FindFile(sourceFullPath) is not { } source)
        {
            throw DirectoryExists(sourceFullPath)
                ? new UnauthorizedAccessException($"Access to the path '{sourceFullPath}' is denied.")
                : Missing(sourceFullPath);
        }
        if (!overwrite && FileExists(destinationFullPath))
        {
            throw new IOException($"The file '{destinationFullPath}' already exists.");
        }
        var destination = PrepareWrite(destinationFullPath, keepContent: false);
        AtomicFile.Copy(source, destination);
    }

    /// <summary>Moves (renames) a file. Within the sandbox it is one rename; across layers it is a copy and a
    /// delete, as a move between two disks is.</summary>
    public void MoveFile(string sourceFullPath, string destinationFullPath, bool overwrite)
    {
        var source = Resolve(sourceFullPath);
        var found = FindFile(source) ?? throw new FileNotFoundException($"Could not find file '{sourceFullPath}'.", sourceFullPath);
        if (!overwrite && FileExists(destinationFullPath))
        {
            throw new IOException($"The file '{destinationFullPath}' already exists.");
        }
        var destination = PrepareWrite(destinationFullPath, keepContent: false);
        if (string.Equals(found, source.SandboxPath, FolderMacros.PathComparison) || (string.Equals(found, source.HostPath, FolderMacros.PathComparison) && source.Mode == IsolationMode.Merged))
        {
            File.Move(found, destination, overwrite: true);
            if (source.PackagePath is not null || (source.HostVisible && File.Exists(source.HostPath)))
            {
                Sandbox.Hide(source.Location);
            }
            return;
        }
        AtomicFile.Copy(found, destination);
        DeleteFile(sourceFullPath);
    }

    /// <summary>Moves a folder with everything in it.</summary>
    public void MoveDirectory(string sourceFullPath, string destinationFullPath)
    {
        if (!DirectoryExists(sourceFullPath))
        {
            throw new DirectoryNotFoundException($"Could not find a part of the path '{sourceFullPath}'.");
        }
        if (DirectoryExists(destinationFullPath) || FileExists(destinationFullPath))
        {
            throw new IOException($"Cannot create '{destinationFullPath}' because a file or directory with the same name already exists.");
        }
        var source = Resolve(sourceFullPath);
        var destination = Resolve(destinationFullPath);
        var wholeInSandbox = Directory.Exists(source.SandboxPath) && !WritesToHost(destination)
            && !(source.PackageVisible && Package.HasDirectory(source.Location)) && !(source.HostVisible && Directory.Exists(source.HostPath));
        if (wholeInSandbox)
        {
            EnsureSandboxDirectory(Path.GetDirectoryName(destination.HostPath)!);
            Sandbox.Unhide(destination.Location);
            Directory.Move(source.SandboxPath, destination.SandboxPath);
            return;
        }
        CreateDirectory(destinationFullPath);
        foreach (var entry in Enumerate(sourceFullPath, "*", EveryEntry, files: true, directories: true).ToList())
        {
            var moved = Path.Combine(destinationFullPath, Path.GetFileName(entry));
            if (DirectoryExists(entry))
            {
                MoveDirectory(entry, moved);
            }
            else
            {
                MoveFile(entry, moved, overwrite: false);
            }
        }
        DeleteDirectory(sourceFullPath, recursive: true);
    }

    /// <summary>Lists a folder: the union of the layers visible there, without what was deleted, with the
    /// sandbox's version of an entry winning. Paths are <paramref name="directory"/> joined with the names, as
    /// <see cref="Directory.EnumerateFiles(string)"/> returns them. <paramref name="options"/> are honoured as
    /// the framework honours them: recursion and its depth, the match type and casing, the attributes to skip
    /// (checked on the layer an entry comes from), inaccessible folders, and the special "." and "..".</summary>
    public IEnumerable<string> Enumerate(string directory, string pattern, EnumerationOptions options, bool files, bool directories)
    {
        var target = Resolve(Path.GetFullPath(directory));
        if (FindDirectory(target) is null)
        {
            Trace?.File("list", "none", directory);
            throw new DirectoryNotFoundException($"Could not find a part of the path '{directory}'.");
        }
        Trace?.File("list", "merged view", directory);
        var ignoreCase = options.MatchCasing switch
        {
            MatchCasing.CaseInsensitive => true,
            MatchCasing.CaseSensitive => false,
            _ => FolderMacros.PathComparison == StringComparison.OrdinalIgnoreCase,
        };
        var expression = options.MatchType == MatchType.Win32 ? FileSystemName.TranslateWin32Expression(pattern) : pattern;
        bool Matches(string name) => options.MatchType == MatchType.Win32
            ? FileSystemName.MatchesWin32Expression(expression, name, ignoreCase)
            : FileSystemName.MatchesSimpleExpression(expression, name, ignoreCase);
        return EnumerateFrom(directory, target, Matches, options, files, directories, depth: 0);
    }

    /// <summary>An entry of a merged listing: whether it is a folder, and the file or folder of the layer it
    /// comes from (whose attributes are the entry's).</summary>
    private readonly record struct Listed(bool IsDirectory, string Physical);

    private IEnumerable<string> EnumerateFrom(string shownDirectory, Target target, Func<string, bool> matches, EnumerationOptions options, bool files, bool directories, int depth)
    {
        var entries = new SortedDictionary<string, Listed>(FolderMacros.PathComparer);
        try
        {
            if (Directory.Exists(target.SandboxPath))
            {
                foreach (var entry in new DirectoryInfo(target.SandboxPath).EnumerateFileSystemInfos())
                {
                    if (!AtomicFile.IsTemporaryName(entry.Name))
                    {
                        entries[entry.Name] = new Listed(entry is DirectoryInfo, entry.FullName);
                    }
                }
            }
            if (target.PackageVisible)
            {
                foreach (var (name, isDirectory) in Package.Children(target.Location))
                {
                    var child = target.Location.Child(name);
                    if (!Sandbox.IsHidden(child))
                    {
                        entries.TryAdd(name, new Listed(isDirectory, Package.FindFile(child) ?? Path.Combine(target.HostPath, name)));
                    }
                }
            }
            if (target.HostVisible && Directory.Exists(target.HostPath))
            {
                foreach (var entry in new DirectoryInfo(target.HostPath).EnumerateFileSystemInfos())
                {
                    if (!Sandbox.IsHidden(target.Location.Child(entry.Name)))
                    {
                        entries.TryAdd(entry.Name, new Listed(entry is DirectoryInfo, entry.FullName));
                    }
                }
            }
        }
        catch (UnauthorizedAccessException) when (depth > 0 && options.IgnoreInaccessible)
        {
            yield break;
        }
        foreach (var macro in Macros.Names)
        {
            // A macro folder the host has is listed even where the host's files are hidden (full isolation), as
            // the application may count on it; one the host lacks (~/Music on a machine without it) is listed only
            // once something is in it (the launcher makes the sandbox's copies of some empty, for child
            // processes), as unpackaged it would not be there at all.
            var folder = Macros.HostFolder(macro)!;
            if (string.Equals(Path.GetDirectoryName(folder), target.HostPath, FolderMacros.PathComparison) && MacroFolderShows(macro, folder))
            {
                entries.TryAdd(Path.GetFileName(folder), new Listed(true, folder));
            }
        }
        if (directories && options.ReturnSpecialDirectories)
        {
            foreach (var special in (string[])[".", ".."])
            {
                if (matches(special))
                {
                    yield return Path.Join(shownDirectory, special);
                }
            }
        }
        foreach (var (name, listed) in entries)
        {
            if (options.AttributesToSkip != 0 && (AttributesOf(listed) & options.AttributesToSkip) != 0)
            {
                continue;
            }
            var shown = Path.Join(shownDirectory, name);
            if ((listed.IsDirectory ? directories : files) && matches(name))
            {
                yield return shown;
            }
            if (listed.IsDirectory && options.RecurseSubdirectories && depth < options.MaxRecursionDepth)
            {
                var child = Resolve(Path.Join(target.HostPath, name));
                foreach (var nested in EnumerateFrom(shown, child, matches, options, files, directories, depth + 1))
                {
                    yield return nested;
                }
            }
        }
    }

    private static FileAttributes AttributesOf(in Listed listed)
    {
        try
        {
            return File.GetAttributes(listed.Physical);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A macro folder that does not exist on the host yet: a plain folder in the application's view.
            return listed.IsDirectory ? FileAttributes.Directory : FileAttributes.Normal;
        }
    }

    // A folder that only the package or the sandbox holds (the application's own folder under merged isolation) has
    // no host folder to write into: files made there are kept in the sandbox beside it.
    private bool WritesToHost(in Target target) =>
        target.Mode == IsolationMode.Merged && target.PackagePath is null && !File.Exists(target.SandboxPath)
        && !(target.PackageVisible && Package.HasDirectory(target.Location)) && !target.LowerHidden
        && Directory.Exists(Path.GetDirectoryName(target.HostPath));

    private void EnsureSandboxDirectory(string hostDirectory)
    {
        var target = Resolve(hostDirectory);
        if (!Directory.Exists(target.SandboxPath))
        {
            // Only the folder's existence is copied up, as in a copy-on-write filesystem, never its contents.
            Directory.CreateDirectory(target.SandboxPath);
        }
    }

    /// <summary>A file cannot be written where a folder is, as the framework's open says.</summary>
    private void RefuseFolder(string fullPath)
    {
        if (DirectoryExists(fullPath))
        {
            throw new UnauthorizedAccessException($"Access to the path '{fullPath}' is denied.");
        }
    }

    /// <summary>The exception the framework throws for a file that is not there: its folder missing too, or not.</summary>
    public Exception Missing(string fullPath) =>
        Path.GetDirectoryName(fullPath) is { } parent && !DirectoryExists(parent)
            ? new DirectoryNotFoundException($"Could not find a part of the path '{fullPath}'.")
            : new FileNotFoundException($"Could not find file '{fullPath}'.", fullPath);

    /// <summary>Deletes a symbolic link of the host at <paramref name="fullPath"/> as the link itself (unlink: what
    /// it leads to stays), on the host under merged isolation, else by hiding it. False when there is no such
    /// link, or the sandbox or package has an entry there.</summary>
    private bool TryDeleteHostLink(string fullPath)
    {
        var location = LocationOf(fullPath);
        var hostPath = Macros.HostPath(location);
        var mode = Policy.ModeOf(location);
        if (mode == IsolationMode.Full || Sandbox.IsHidden(location) || Package.FindFile(location) is not null || Package.HasDirectory(location)
            || Path.Exists(Sandbox.PhysicalPath(location)) || new FileInfo(hostPath).LinkTarget is null)
        {
            return false;
        }
        if (mode == IsolationMode.Merged)
        {
            File.Delete(hostPath);
        }
        else
        {
            Sandbox.Hide(location);
        }
        return true;
    }

    private bool MacroFolderShows(string macro, string hostFolder)
    {
        if (Directory.Exists(hostFolder) || Package.HasDirectory(new VirtualLocation(macro, "")))
        {
            return true;
        }
        var sandboxCopy = Sandbox.PhysicalPath(new VirtualLocation(macro, ""));
        return Directory.Exists(sandboxCopy) && Directory.EnumerateFileSystemEntries(sandboxCopy).Any();
    }

    private bool IsMacroFolderOrAbove(string hostPath)
    {
        foreach (var macro in Macros.Names)
        {
            if (FolderMacros.IsUnder(Macros.HostFolder(macro)!, hostPath, out _))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The real host path of <paramref name="location"/>, every symbolic link on the way followed. The
    /// macro's own folder (the home, configuration or data folder) is resolved once and remembered; each segment
    /// below it is checked at every lookup, one <c>readlink</c> each, because any of the application's folders
    /// may be replaced by a link while it runs.</summary>
    private string FollowLinks(VirtualLocation location)
    {
        var current = _realMacroFolders.GetOrAdd(Macros.HostFolder(location.Macro)!, FollowAllLinks);
        if (location.Relative.Length == 0)
        {
            return current;
        }
        var segments = location.Relative.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var next = Path.Combine(current, segments[i]);
            if (new FileInfo(next).LinkTarget is not null)
            {
                return FollowAllLinks(Path.Combine([next, .. segments[(i + 1)..]]));
            }
            current = next;
        }
        return current;
    }

    /// <summary>The path with every symbolic link along it replaced by its target.</summary>
    private static string FollowAllLinks(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? "/";
        var current = root;
        var remaining = new Queue<string>(fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        for (var hops = 0; remaining.TryDequeue(out var segment);)
        {
            var next = Path.Combine(current, segment);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } link)
            {
                if (++hops > MaxLinkHops)
                {
                    throw new IOException($"Too many levels of symbolic links in '{fullPath}'.");
                }
                var resolved = Path.GetFullPath(link, current);
                var rest = remaining.ToArray();
                var resolvedRoot = Path.GetPathRoot(resolved) ?? "/";
                current = resolvedRoot;
                remaining = new Queue<string>(resolved[resolvedRoot.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                continue;
            }
            if (!info.Exists && !Directory.Exists(next))
            {
                return Path.Combine([next, .. remaining]);
            }
            current = next;
        }
        return current;
    }
}
