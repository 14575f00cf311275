using VirtualizationWorkbench.Sandbox.Paths;

namespace VirtualizationWorkbench.Sandbox.FileSystem;

/// <summary>The per-package sandbox folder: the application's changes (files under <c>files/&lt;macro&gt;/</c>),
/// the list of locations whose package and host contents were deleted (<c>deleted.txt</c>), and the registry
/// changes (<c>registry.journal</c>, see <see cref="Registry.RegistryJournal"/>). Several instances of the
/// application may share it at once: every change of a shared file happens under <c>sandbox.lock</c> and lands by
/// rename (or, for the journal, by an append readers can tell from a torn one), so a reader never sees half a
/// change.</summary>
public sealed class SandboxLayer
{
    private const string FilesFolder = "files";
    private const string DeletedList = "deleted.txt";
    private const string LockFile = "sandbox.lock";

    /// <summary>How long an instance waits for the sandbox lock before giving up with an error. Changes hold the lock
    /// for an append or a small rewrite; only an instance stopped while holding it (in a debugger, say) keeps it long.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromMinutes(2);

    private HashSet<string> _hidden;

    /// <summary>Opens (and creates when missing) the sandbox at <paramref name="root"/>.</summary>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be created or written.</exception>
    /// <exception cref="IOException">The folder exists, holds other files and is not a sandbox.</exception>
    public SandboxLayer(string root)
    {
        Root = Path.GetFullPath(root);
        FilesRoot = Path.Combine(Root, FilesFolder);
        // A sandbox is a folder of its own: one that holds other things (a package's SandboxName or a --sandbox
        // naming the user's Documents, say) is refused before anything is written into it or cleared from it.
        // The listing comes before the look for the lock: whatever an instance starting at the same moment has
        // put there, it put after its lock file.
        if (Directory.Exists(Root) && Directory.EnumerateFileSystemEntries(Root).Any() && !File.Exists(Path.Combine(Root, LockFile)))
        {
            throw new IOException($"'{Root}' already holds other files and is not a sandbox; a sandbox needs a folder of its own");
        }
        Directory.CreateDirectory(Root);
        // The lock file comes first, so that a second instance starting at the same moment never sees the folder
        // holding anything without it; taking the lock also proves the folder is writable now, not halfway
        // through the application's run.
        using (AcquireLock())
        {
            Directory.CreateDirectory(FilesRoot);
        }
        _hidden = ReadHidden();
    }

    /// <summary>The sandbox folder.</summary>
    public string Root { get; }

    /// <summary>The folder holding the changed files, one subfolder per macro.</summary>
    public string FilesRoot { get; }

    /// <summary>Opens the sandbox's registry changes (made on the first change).</summary>
    public Registry.RegistryJournal OpenRegistryJournal() => new(Root, AcquireLock);

    /// <summary>The locations whose package and host contents are hidden (deleted in the sandbox).</summary>
    public IReadOnlyCollection<string> HiddenKeys => _hidden;

    /// <summary>Where the sandbox keeps its copy of <paramref name="location"/>.</summary>
    public string PhysicalPath(VirtualLocation location) =>
        location.Relative.Length == 0
            ? Path.Combine(FilesRoot, location.Macro)
            : Path.Combine(FilesRoot, location.Macro, location.Relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Whether the package's and the host's contents at <paramref name="location"/> are hidden: it, or a
    /// folder above it, was deleted. Costs no filesystem call.</summary>
    public bool IsHidden(VirtualLocation location)
    {
        if (_hidden.Count == 0)
        {
            return false;
        }
        for (VirtualLocation? at = location; at is { } current; at = current.Parent)
        {
            if (_hidden.Contains(current.Key))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Hides the package's and host's contents at <paramref name="location"/> from now on.</summary>
    public void Hide(VirtualLocation location) => UpdateHidden(set => set.Add(location.Key));

    /// <summary>Forgets every hidden location at or below <paramref name="location"/> (used when a folder is
    /// moved away and a new one takes its place).</summary>
    public void Unhide(VirtualLocation location) =>
        UpdateHidden(set => set.RemoveWhere(key => key == location.Key || key.StartsWith(location.Key + "/", FolderMacros.PathComparison)) > 0);

    /// <summary>Whether <paramref name="fullPath"/> points into the sandbox's files; if so, its location. The
    /// application's environment (HOME, XDG_*) points there, so paths built from it arrive here.</summary>
    public bool TryAlias(string fullPath, FolderMacros macros, out VirtualLocation location)
    {
        location = default;
        if (!FolderMacros.IsUnder(fullPath, FilesRoot, out var relative) || relative.Length == 0)
        {
            return false;
        }
        var macroEnd = relative.IndexOf('/');
        var macro = macros.CanonicalName(macroEnd < 0 ? relative : relative[..macroEnd]);
        if (macro is null)
        {
            return false;
        }
        var stored = VirtualLocation.ParseKey(macro + (macroEnd < 0 ? "" : relative[macroEnd..]));
        location = stored;
        return true;
    }

    /// <summary>Takes the sandbox's lock: an exclusive open of <c>sandbox.lock</c>, retried while another
    /// instance holds it, for up to <see cref="LockWait"/>. The operating system releases it if the holder dies.</summary>
    /// <exception cref="IOException">Another instance held the lock all that time.</exception>
    public IDisposable AcquireLock() => AcquireLock(LockWait);

    /// <summary>As <see cref="AcquireLock()"/>, waiting up to <paramref name="wait"/>.</summary>
    internal IDisposable AcquireLock(TimeSpan wait)
    {
        var path = Path.Combine(Root, LockFile);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (waited.Elapsed >= wait)
                {
                    throw new IOException($"The sandbox '{Root}' stayed locked by another instance of the application for {wait.TotalSeconds:0.#} s ({path}); a change holds it for milliseconds, so that instance is stopped or hanging. End it (or wait for it) and try again.");
                }
                // Short sleeps first: the holder is usually appending one record. Twenty instances polling every
                // few milliseconds cost little, and none waits long behind a sleeping one.
                Thread.Sleep(Math.Min(1 + attempt / 8, 10));
            }
        }
    }

    /// <summary>Forgets every change (files, deletions, registry, the kernel's layers), so that the next run starts from the package
    /// as built. Only the sandbox's own entries are removed.</summary>
    public void Clear()
    {
        using (AcquireLock())
        {
            Directory.Delete(FilesRoot, recursive: true);
            KernelLayer.Clear(Root);
            File.Delete(Path.Combine(Root, DeletedList));
            Registry.RegistryJournal.Delete(Root);
            foreach (var file in Directory.EnumerateFiles(Root))
            {
                if (AtomicFile.IsTemporaryName(Path.GetFileName(file)))
                {
                    File.Delete(file);
                }
            }
            Directory.CreateDirectory(FilesRoot);
            _hidden = new HashSet<string>(FolderMacros.PathComparer);
        }
    }

    /// <summary>Rereads the state other instances may have changed.</summary>
    public void Refresh() => _hidden = ReadHidden();

    private void UpdateHidden(Func<HashSet<string>, bool> change)
    {
        using (AcquireLock())
        {
            // Reread under the lock so that another instance's deletions are merged, not overwritten.
            var current = ReadHidden();
            if (change(current))
            {
                AtomicFile.WriteAllText(Path.Combine(Root, DeletedList), string.Join('\n', current.Order(StringComparer.Ordinal)) + "\n");
            }
            _hidden = current;
        }
    }

    private HashSet<string> ReadHidden()
    {
        var path = Path.Combine(Root, DeletedList);
        return File.Exists(path)
            ? new HashSet<string>(File.ReadAllLines(path).Where(line => line.Length > 0), FolderMacros.PathComparer)
            : new HashSet<string>(FolderMacros.PathComparer);
    }
}
