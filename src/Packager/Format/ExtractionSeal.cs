using System.Runtime.InteropServices;
using System.Text;

namespace VirtualizationWorkbench.Packager.Format;

/// <summary>What every file of an extraction was when the extraction was made and checked against the manifest's
/// hashes: its size, inode and change time (<c>.package/seal</c>). Every start compares them, one <c>statx</c> a
/// file, so an extraction changed since (a file rewritten, replaced, added or removed) is found without hashing
/// it again, and extracted anew from the package. The change time cannot be set back from user space, so
/// rewriting a file and restoring its modification time does not hide the change; what the seal cannot catch is
/// something that rewrites the seal too, which the application inside the kernel boundary cannot do (the
/// extraction is read-only to it). On Windows there is no seal (every extraction holds).</summary>
public static class ExtractionSeal
{
    /// <summary>The seal's file name in the extraction's metadata folder.</summary>
    public const string FileName = "seal";

    /// <summary>Seals the extraction at <paramref name="folder"/> as it is now.</summary>
    public static void Write(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        File.WriteAllText(Path.Combine(folder, PackageLayout.ExtractedMetadata, FileName), Describe(folder) ?? "");
    }

    /// <summary>Whether the extraction at <paramref name="folder"/> is as it was sealed.</summary>
    public static bool Holds(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }
        try
        {
            var sealedState = File.ReadAllText(Path.Combine(folder, PackageLayout.ExtractedMetadata, FileName));
            return sealedState.Length > 0 && Describe(folder) == sealedState;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string? Describe(string folder)
    {
        var seal = Path.Combine(folder, PackageLayout.ExtractedMetadata, FileName);
        var text = new StringBuilder();
        var buffer = new byte[256];
        foreach (var path in Directory.EnumerateFileSystemEntries(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
        {
            if (path == seal)
            {
                continue;
            }
            if (statx(-100, path, 0x100, 0x381, buffer) != 0)
            {
                return null;
            }
            // struct statx: stx_mode (u16) at 28, stx_ino at 32, stx_size at 40, stx_ctime (i64 s, u32 ns) at 96.
            // Folders are left out (writing the seal changes its own folder); a file added to one is not.
            if ((BitConverter.ToUInt16(buffer, 28) & 0xF000) == 0x4000)
            {
                continue;
            }
            // As hexadecimal bytes: formatting numbers would settle the process's culture, which runs before an
            // application's globalization is chosen (see ApplicationGlobalization).
            text.Append(Path.GetRelativePath(folder, path)).Append('\0')
                .Append(Convert.ToHexString(buffer, 28, 2)).Append(' ')
                .Append(Convert.ToHexString(buffer, 32, 16)).Append(' ')
                .Append(Convert.ToHexString(buffer, 96, 12)).Append('\n');
        }
        return text.ToString();
    }

    // DllImport rather than LibraryImport: the generated marshaller needs unsafe code, which this library avoids.
#pragma warning disable SYSLIB1054
    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int statx(int directory, string path, int flags, uint mask, byte[] buffer);
#pragma warning restore SYSLIB1054
}
