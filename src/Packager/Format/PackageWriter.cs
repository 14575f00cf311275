using System.Text;
using System.IO.Compression;
using System.Security.Cryptography;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Packager.Format;

/// <summary>Writes a package: a zip whose entries are sorted by name, all stamped with the same time and
/// compressed the same way, followed by the manifest, so the same input gives byte-identical output. The file
/// appears only when complete (written under a temporary name, then renamed).</summary>
public static class PackageWriter
{
    /// <summary>The lines a runnable package starts with: a shell script that hands the file to <c>workbench app
    /// run</c>. The zip follows it; its offsets count from the start of the file, so zip readers (the workbench's,
    /// <c>unzip</c>) read it as they read any zip.</summary>
    public const string RunnablePrelude = """
        #!/bin/sh
        # A Virtualization Workbench package: a zip follows these lines (`unzip -l` lists it). Run it as a program, or
        # with `workbench app run FILE -- ARGUMENTS`.
        command -v workbench >/dev/null 2>&1 || { echo "$0: this package runs with the Virtualization Workbench: install it so that 'workbench' is on your PATH (its README says how)" >&2; exit 127; }
        exec workbench app run "$0" -- "$@"

        """;

    /// <summary>Writes <paramref name="entries"/> (zip entry name → content) as the package <paramref name="path"/>;
    /// <paramref name="runnable"/> puts <see cref="RunnablePrelude"/> before the zip and makes the file executable;
    /// <paramref name="executables"/> names the entries that are programs: the manifest says so (so the
    /// extraction marks them executable), as do their zip attributes (so <c>unzip</c> does too);
    /// <paramref name="signer"/> signs the manifest (<see cref="PackageSignature"/>), whose signature and public key
    /// follow it. ECDSA signatures are randomised, so a signed package is byte-identical to another build only up
    /// to its last two entries; the manifest, and so the package's id, is the same.</summary>
    public static PackageManifest Write(string path, string name, IReadOnlyDictionary<string, Func<Stream>> entries, bool runnable = false, IReadOnlySet<string>? executables = null, System.Security.Cryptography.ECDsa? signer = null)
    {
        PackageManifest? manifest = null;
        AtomicFile.Write(path, stream =>
        {
            if (runnable)
            {
                stream.Write(Encoding.UTF8.GetBytes(RunnablePrelude.ReplaceLineEndings("\n")));
            }
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            var listed = new List<ManifestEntry>();
            foreach (var (entryName, open) in entries.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                if (PackageLayout.Unsafe(entryName) is { } problem)
                {
                    throw new PackageFormatException($"Cannot write the entry '{entryName}': it has {problem}.");
                }
                var executable = executables?.Contains(entryName) == true;
                var entry = zip.CreateEntry(entryName, CompressionLevel.Optimal);
                entry.LastWriteTime = PackageLayout.EntryTime;
                if (executable)
                {
                    // A regular file, rwxr-xr-x, in the high half as Info-ZIP's Unix attributes are.
                    entry.ExternalAttributes = unchecked((int)(0x81EDu << 16));
                }
                using var input = open();
                using var output = entry.Open();
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                long size = 0;
                int read;
                while ((read = input.Read(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    output.Write(buffer, 0, read);
                    size += read;
                }
                listed.Add(new ManifestEntry(entryName, size, Convert.ToHexStringLower(hash.GetHashAndReset()), executable));
            }
            manifest = new PackageManifest(PackageManifest.CurrentFormat, name, listed);
            var manifestEntry = zip.CreateEntry(PackageManifest.EntryName, CompressionLevel.Optimal);
            manifestEntry.LastWriteTime = PackageLayout.EntryTime;
            var manifestBytes = manifest.ToJson();
            using (var manifestStream = manifestEntry.Open())
            {
                manifestStream.Write(manifestBytes);
            }
            if (signer is not null)
            {
                var signature = PackageSignature.Sign(manifestBytes, signer);
                WriteEntry(zip, PackageSignature.EntryName, signature.Value);
                WriteEntry(zip, PackageSignature.SignerEntryName, signature.SignerPem());
            }
        });
        if (runnable && !OperatingSystem.IsWindows())
        {
            // After the rename: the temporary file takes the permissions of the file it replaces.
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        return manifest!;
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = PackageLayout.EntryTime;
        using var stream = entry.Open();
        stream.Write(content);
    }
}
