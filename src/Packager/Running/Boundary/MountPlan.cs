using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;

namespace VirtualizationWorkbench.Packager.Running.Boundary;

/// <summary>The mounts that turn a package's isolation rules into the application's view of the filesystem, as
/// steps for <c>enter-sandbox.pl</c>. Every host folder a macro or an <c>[Isolation]</c> rule names becomes a
/// mount by its mode: <see cref="IsolationMode.WriteCopy"/> an overlay (the package's files and the host folder
/// read-only below, the sandbox's layer for it above), <see cref="IsolationMode.Full"/> an overlay with only the
/// package's files below (or nothing), <see cref="IsolationMode.Merged"/> a bind mount of the host folder. The
/// rest of the filesystem (<c>/usr</c>, <c>/proc</c>, <c>/dev</c>, the .NET runtime) is read-only. The sandbox
/// folder stays writable (the rewritten calls and the virtual registry keep their state there) except its kernel
/// layers, which are hidden; the extraction the application runs from, the runtime and the workbench are mounted
/// read-only over whatever rule covers them, so they are there even under full isolation.
/// <para>Every mount is first made on a staging tmpfs, while the host's paths are still the host's (an overlay's
/// layers are named by path, and an overlay mounted on a parent would hide the host folder of a child), and moved
/// into place outermost first once all exist.</para></summary>
public sealed class MountPlan
{
    /// <summary>Where the mounts are staged: a folder every Linux system has, outside every macro folder,
    /// covered by a tmpfs only while the plan runs.</summary>
    public const string Stage = "/sys";

    private MountPlan(IReadOnlyList<string> steps, IReadOnlyList<(string HostFolder, IsolationMode Mode)> folders)
    {
        Steps = steps;
        Folders = folders;
    }

    /// <summary>The steps, as <c>enter-sandbox.pl</c> reads them.</summary>
    public IReadOnlyList<string> Steps { get; }

    /// <summary>The host folders mounted, outermost first, with the mode each one's mount enforces.</summary>
    public IReadOnlyList<(string HostFolder, IsolationMode Mode)> Folders { get; }

    /// <summary>Plans the mounts for a package.</summary>
    /// <param name="macros">This machine's folder macros.</param>
    /// <param name="policy">The package's isolation rules.</param>
    /// <param name="extraction">The folder the package is extracted to (one subfolder per macro).</param>
    /// <param name="sandboxRoot">The sandbox folder.</param>
    /// <param name="readOnlyKeep">Folders that must stay visible, read-only, whatever the rules (the runtime, the workbench).</param>
    /// <exception cref="PlatformNotSupportedException">A path cannot be named in an overlay's mount options.</exception>
    public static MountPlan For(FolderMacros macros, IsolationPolicy policy, string extraction, string sandboxRoot, IEnumerable<string> readOnlyKeep)
    {
        var targets = new SortedDictionary<string, VirtualLocation>(StringComparer.Ordinal);
        void Add(string hostFolder)
        {
            // Only folders that exist on the host are mounted: a rule for a folder the host lacks leaves the folder
            // to the rule above it (an overlay, where the application may create it, or read-only).
            if (hostFolder != "/" && Directory.Exists(hostFolder) && new DirectoryInfo(hostFolder).LinkTarget is null)
            {
                targets[hostFolder] = macros.Locate(hostFolder);
            }
        }
        foreach (var macro in macros.Names)
        {
            Add(macros.HostFolder(macro)!);
        }
        foreach (var (key, mode) in policy.Rules)
        {
            var location = VirtualLocation.ParseKey(key);
            if (macros.HostFolder(location.Macro) is not null)
            {
                var host = macros.HostPath(location);
                // A merged folder is the host's own: one the host lacks is made there (in a host folder that exists,
                // never a chain of them), as the application's first write would make it unpackaged, so the rule
                // holds from the first run instead of leaving the folder to the overlay above it.
                if (mode == IsolationMode.Merged && !Path.Exists(host) && Path.GetDirectoryName(host) is { } parent && Directory.Exists(parent))
                {
                    Directory.CreateDirectory(host);
                }
                Add(host);
            }
        }
        var ordered = targets.OrderBy(target => Depth(target.Key)).ThenBy(target => target.Key, StringComparer.Ordinal).ToList();

        var kernel = KernelLayer.Folder(sandboxRoot);
        var work = Path.Combine(kernel, KernelLayer.WorkFolderName);
        var empty = Path.Combine(kernel, ".empty");
        var steps = new List<string> { "tmpfs", Stage };
        var moves = new List<(string From, string To)>();
        var folders = new List<(string, IsolationMode)>();
        var prepare = new List<string> { kernel, work, empty };
        for (var index = 0; index < ordered.Count; index++)
        {
            var (host, location) = ordered[index];
            var mode = policy.ModeOf(location);
            var staged = $"{Stage}/{index}";
            steps.AddRange(["mkdir", staged]);
            if (mode == IsolationMode.Merged)
            {
                steps.AddRange(["bind", host, staged]);
            }
            else
            {
                var upper = Path.Combine(kernel, KernelLayer.UpperName(location));
                var scratch = Path.Combine(work, KernelLayer.UpperName(location));
                prepare.AddRange([upper, scratch]);
                var lowers = PackageFolders(macros, extraction, host);
                if (mode == IsolationMode.WriteCopy)
                {
                    lowers.Add(host);
                }
                if (lowers.Count == 0)
                {
                    lowers.Add(empty);
                }
                steps.AddRange(["overlay", staged, $"lowerdir={string.Join(':', lowers.Select(Nameable))},upperdir={Nameable(upper)},workdir={Nameable(scratch)},userxattr"]);
            }
            moves.Add((staged, host));
            folders.Add((host, mode));
        }
        // Mounted over the rules' mounts, in this order: the runtime and workbench (read-only), the sandbox
        // (writable), the extraction (read-only, though it may lie inside the sandbox's folder tree), and last a
        // read-only nothing over the kernel's layers, which the kernel keeps and the application must not touch.
        var keep = Outermost(readOnlyKeep.Select(Path.GetFullPath).Where(folder => Directory.Exists(folder) && ordered.Any(target => FolderMacros.IsUnder(folder, target.Key, out _))));
        var extras = new List<(string Source, bool Writable)>();
        extras.AddRange(keep.Select(folder => (folder, false)));
        extras.Add((sandboxRoot, true));
        extras.Add((extraction, false));
        for (var index = 0; index < extras.Count; index++)
        {
            var staged = $"{Stage}/keep{index}";
            steps.AddRange(["mkdir", staged, "bind", extras[index].Source, staged]);
            moves.Add((staged, extras[index].Source));
        }
        steps.Add("read-only-all");
        foreach (var (from, _) in moves.Take(ordered.Count))
        {
            steps.AddRange(["writable", from]);
        }
        steps.AddRange(["writable", $"{Stage}/keep{keep.Count}"]);
        foreach (var (from, to) in moves)
        {
            steps.AddRange(["move", from, to]);
        }
        steps.AddRange(["tmpfs", kernel, "read-only", kernel]);
        if (Directory.Exists("/dev/shm"))
        {
            // Shared memory stays usable, but private: a tmpfs of the sandbox's own.
            steps.AddRange(["tmpfs", "/dev/shm"]);
        }
        steps.AddRange(["umount", Stage]);
        foreach (var folder in prepare)
        {
            Directory.CreateDirectory(folder);
        }
        return new MountPlan(steps, folders);
    }

    /// <summary>The package's folders that land at <paramref name="hostFolder"/>, one per macro mapping there.</summary>
    private static List<string> PackageFolders(FolderMacros macros, string extraction, string hostFolder)
    {
        var found = new List<string>();
        if (!Directory.Exists(extraction))
        {
            return found;
        }
        foreach (var stored in Directory.EnumerateDirectories(extraction).Order(StringComparer.Ordinal))
        {
            if (macros.CanonicalName(Path.GetFileName(stored)) is { } macro && macros.HostFolder(macro) is { } folder
                && FolderMacros.IsUnder(hostFolder, folder, out var relative))
            {
                var candidate = relative.Length == 0 ? stored : Path.Combine(stored, relative);
                if (Directory.Exists(candidate))
                {
                    found.Add(candidate);
                }
            }
        }
        return found;
    }

    private static List<string> Outermost(IEnumerable<string> folders)
    {
        var kept = new List<string>();
        foreach (var folder in folders.Distinct(StringComparer.Ordinal).OrderBy(Depth))
        {
            if (!kept.Any(outer => FolderMacros.IsUnder(folder, outer, out _)))
            {
                kept.Add(folder);
            }
        }
        return kept;
    }

    private static int Depth(string path) => path.Count(character => character == '/');

    /// <summary>The path as an overlay's options carry it: they separate layers with ':' and options with ',' and
    /// escape with '\', so a path holding one of them is refused rather than misread.</summary>
    private static string Nameable(string path) =>
        path.IndexOfAny([',', ':', '\\', '\n']) < 0 ? path
            : throw new PlatformNotSupportedException($"the path '{path}' holds a character an overlay's options cannot carry (',', ':', '\\')");
}
