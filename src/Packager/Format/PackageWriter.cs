using System.IO.Compression;
using System.Security.Cryptography;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Packager.Format;

/// <summary>Writes a package: a zip whose entries are sorted by name, all stamped with the same time and
/// compressed the same way, followed by the manifest, so the same input gives byte-identical output. The file
/// appears only when complete (written under a temporary name, then renamed).</summary>
public static class PackageWriter
{
    /// <summary>Writes <paramref name="entries"/> (zip entry name → content) as the package <paramref name="path"/>.</summary>
    public static PackageManifest Write(string path, string name, IReadOnlyDictionary<string, Func<Stream>> entries)
    {
        PackageManifest? manifest = null;
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            var listed = new List<ManifestEntry>();
            foreach (var (entryName, open) in entries.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                if (PackageLayout.Unsafe(entryName) is { } problem)
                {
                    throw new PackageFormatException($"Cannot write the entry '{entryName}': it has {problem}.");
                }
                var entry = zip.CreateEntry(entryName, CompressionLevel.Optimal);
                entry.LastWriteTime = PackageLayout.EntryTime;
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
                listed.Add(new ManifestEntry(entryName, size, Convert.ToHexStringLower(hash.GetHashAndReset())));
            }
            manifest = new PackageManifest(PackageManifest.CurrentFormat, name, listed);
            var manifestEntry = zip.CreateEntry(PackageManifest.EntryName, CompressionLevel.Optimal);
            manifestEntry.LastWriteTime = PackageLayout.EntryTime;
            using var manifestStream = manifestEntry.Open();
            manifestStream.Write(manifest.ToJson());
        });
        return manifest!;
    }
}
