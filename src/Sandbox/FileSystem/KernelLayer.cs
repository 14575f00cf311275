using System.Runtime.InteropServices;
using VirtualizationWorkbench.Sandbox.Paths;

namespace VirtualizationWorkbench.Sandbox.FileSystem;

/// <summary>The part of a sandbox the kernel writes: on Linux, <c>app run</c> mounts an overlay on each host
/// folder the package's rules isolate, and the writable (upper) layer of each one is a folder here,
/// <c>kernel/&lt;escaped location key&gt;/</c>. What reaches the host's files below the rewritten APIs (native
/// calls, child processes) lands in these folders: written files as themselves, deleted ones as overlayfs
/// whiteouts (character devices 0:0), and a folder deleted and made anew as an "opaque" folder
/// (<c>user.overlay.opaque</c>). This type reads them back in the sandbox's vocabulary: location keys written
/// and deleted.</summary>
public static class KernelLayer
{
    /// <summary>The folder name inside a sandbox.</summary>
    public const string FolderName = "kernel";

    /// <summary>The overlay work folders (the kernel's scratch space), inside <see cref="FolderName"/>.</summary>
    public const string WorkFolderName = ".work";

    /// <summary>The folder of a sandbox holding the kernel's layers.</summary>
    public static string Folder(string sandboxRoot) => Path.Combine(sandboxRoot, FolderName);

    /// <summary>The folder name of the upper layer for the overlay mounted at <paramref name="location"/>: the key
    /// escaped into one path segment (no '/', ',' or ':', which the overlay's mount options cannot carry).</summary>
    public static string UpperName(VirtualLocation location) => Uri.EscapeDataString(location.Key);

    /// <summary>A change the kernel recorded.</summary>
    /// <param name="Key">The location key (<c>%Profile%/notes.txt</c>).</param>
    /// <param name="PhysicalPath">The file in the layer (null for a deletion).</param>
    /// <param name="Size">The file's size.</param>
    public readonly record struct Change(string Key, string? PhysicalPath, long Size);

    /// <summary>The files written and the locations deleted in the kernel's layers of the sandbox at
    /// <paramref name="sandboxRoot"/>, each in location-key order.</summary>
    public static (IReadOnlyList<Change> Written, IReadOnlyList<string> Deleted) Changes(string sandboxRoot)
    {
        var written = new List<Change>();
        var deleted = new List<string>();
        var folder = Folder(sandboxRoot);
        if (!Directory.Exists(folder))
        {
            return (written, deleted);
        }
        foreach (var upper in Directory.EnumerateDirectories(folder))
        {
            var name = Path.GetFileName(upper);
            if (name == WorkFolderName || name.StartsWith('.'))
            {
                continue;
            }
            Walk(upper, VirtualLocation.ParseKey(Uri.UnescapeDataString(name)), written, deleted);
        }
        written.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        deleted.Sort(StringComparer.Ordinal);
        return (written, deleted);
    }

    /// <summary>Removes the kernel's layers, work folders included (the kernel leaves its work folder with no
    /// permissions at all, so they are given back first).</summary>
    public static void Clear(string sandboxRoot)
    {
        var folder = Folder(sandboxRoot);
        if (!Directory.Exists(folder))
        {
            return;
        }
        if (!OperatingSystem.IsWindows())
        {
            foreach (var directory in Directory.EnumerateDirectories(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }).Prepend(folder))
            {
                MakeOwnerUsable(directory);
            }
        }
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Whether <paramref name="path"/> is an overlayfs whiteout: a character device numbered 0:0.</summary>
    public static bool IsWhiteout(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        var buffer = new byte[256];
        if (statx(AtCurrentFolder, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
        {
            return false;
        }
        // struct statx: stx_mode (u16) at 28, stx_rdev_major and stx_rdev_minor (u32) at 128 and 132.
        var mode = BitConverter.ToUInt16(buffer, 28);
        return (mode & 0xF000) == 0x2000 && BitConverter.ToUInt32(buffer, 128) == 0 && BitConverter.ToUInt32(buffer, 132) == 0;
    }

    /// <summary>Whether the folder at <paramref name="path"/> is opaque: the lower layers' contents there are hidden.</summary>
    public static bool IsOpaque(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        var value = new byte[8];
        var length = lgetxattr(path, "user.overlay.opaque", value, value.Length);
        if (length <= 0)
        {
            length = lgetxattr(path, "trusted.overlay.opaque", value, value.Length);
        }
        return length > 0 && value[0] == (byte)'y';
    }

    private static void Walk(string folder, VirtualLocation at, List<Change> written, List<string> deleted)
    {
        if (IsOpaque(folder))
        {
            deleted.Add(at.Key);
        }
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true }))
        {
            var child = at.Child(Path.GetFileName(entry));
            var info = new FileInfo(entry);
            if (info.LinkTarget is not null)
            {
                // A link the application made: not a file a package can carry, and not to be followed out of
                // the sandbox by the tools.
                continue;
            }
            if (info.Attributes.HasFlag(FileAttributes.Directory))
            {
                Walk(entry, child, written, deleted);
            }
            else if (IsWhiteout(entry))
            {
                deleted.Add(child.Key);
            }
            else
            {
                written.Add(new Change(child.Key, entry, info.Length));
            }
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakeOwnerUsable(string directory)
    {
        try
        {
            File.SetUnixFileMode(directory, File.GetUnixFileMode(directory) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another owner's folder: the delete that follows reports it.
        }
    }

    private const int AtCurrentFolder = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;

    // DllImport rather than LibraryImport: the generated marshaller needs unsafe code, which this library avoids.
#pragma warning disable SYSLIB1054
    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int statx(int directory, string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern nint lgetxattr(string path, string name, byte[] value, nint size);
#pragma warning restore SYSLIB1054
}
