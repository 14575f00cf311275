using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using VirtualizationWorkbench.Packager.Settings;
using VirtualizationWorkbench.Sandbox.Registry;

namespace VirtualizationWorkbench.Packager.Format;

/// <summary>An opened, checked package. Opening reads the central directory and the small entries (manifest,
/// settings, registry, report) and checks every entry name; file contents are checked against the manifest's
/// hashes when extracted.</summary>
public sealed class PackageFile : IDisposable
{
    private readonly ZipArchive _zip;

    private PackageFile(string path, ZipArchive zip, PackageManifest manifest, byte[] manifestBytes, PackageSettings settings, RegFileDocument registry, string report, PackageSignature? signature)
    {
        Path = path;
        Signature = signature;
        _zip = zip;
        Manifest = manifest;
        Settings = settings;
        Registry = registry;
        Report = report;
        Id = Convert.ToHexStringLower(SHA256.HashData(manifestBytes))[..16];
    }

    /// <summary>The package file's path.</summary>
    public string Path { get; }

    /// <summary>The manifest.</summary>
    public PackageManifest Manifest { get; }

    /// <summary>The settings.</summary>
    public PackageSettings Settings { get; }

    /// <summary>The package's registry hive.</summary>
    public RegFileDocument Registry { get; }

    /// <summary>The rewrite report made when the package was built.</summary>
    public string Report { get; }

    /// <summary>The package's signature, verified against its manifest when it was opened; null when unsigned.
    /// Whether its signer is trusted is <see cref="Running.PackageTrust"/>'s decision.</summary>
    public PackageSignature? Signature { get; }

    /// <summary>A short identity of the package's content (the manifest's hash): equal packages share one extraction.</summary>
    public string Id { get; }

    /// <summary>The keys of the application's files (<c>%ProgramFilesDir%/App/App.dll</c>).</summary>
    public IEnumerable<string> FileKeys => Manifest.Entries
        .Where(entry => entry.Path.StartsWith(PackageLayout.FilesPrefix, StringComparison.Ordinal))
        .Select(entry => entry.Path[PackageLayout.FilesPrefix.Length..]);

    /// <summary>Opens and checks the package at <paramref name="path"/>.</summary>
    /// <exception cref="PackageFormatException">The package is truncated, corrupt or unsafe.</exception>
    public static PackageFile Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The package '{path}' does not exist.", path);
        }
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new PackageFormatException($"'{path}' is not a readable package (truncated or corrupt zip: {e.Message}). Rebuild it with `workbench build` or `workbench pack`.", e);
        }
        try
        {
            long expanded = 0;
            foreach (var entry in zip.Entries)
            {
                if (PackageLayout.Unsafe(entry.FullName) is { } problem)
                {
                    throw new PackageFormatException($"'{path}' holds the entry '{entry.FullName}' with {problem}, which could write outside its folder; the package is refused.");
                }
                expanded += entry.Length;
            }
            if (PackageLimits.Refusal(expanded, new FileInfo(path).Length) is { } refusal)
            {
                throw new PackageFormatException($"'{path}' is refused before extracting: {refusal}.");
            }
            var manifestBytes = ReadSmall(zip, path, PackageManifest.EntryName);
            PackageManifest manifest;
            try
            {
                manifest = PackageManifest.FromJson(manifestBytes);
            }
            catch (JsonException e)
            {
                throw new PackageFormatException($"'{path}' has an unreadable {PackageManifest.EntryName}: {e.Message}", e);
            }
            if (manifest.Format != PackageManifest.CurrentFormat)
            {
                throw new PackageFormatException($"'{path}' is in the format '{manifest.Format}'; this workbench reads '{PackageManifest.CurrentFormat}'.");
            }
            // Plain loops rather than LINQ here: this runs at every package start, where each LINQ shape costs
            // its JIT compilation (together about 7 ms).
            var listed = new Dictionary<string, ManifestEntry>(manifest.Entries.Count, StringComparer.Ordinal);
            foreach (var entry in manifest.Entries)
            {
                listed[entry.Path] = entry;
            }
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName is not (PackageManifest.EntryName or PackageSignature.EntryName or PackageSignature.SignerEntryName) && !listed.ContainsKey(entry.FullName))
                {
                    throw new PackageFormatException($"'{path}' holds '{entry.FullName}', which its manifest does not list: the package was altered after it was built.");
                }
            }
            foreach (var entry in manifest.Entries)
            {
                if (zip.GetEntry(entry.Path) is not { } found || found.Length != entry.Size)
                {
                    throw new PackageFormatException($"'{path}' lacks '{entry.Path}' or holds it with another size than its manifest says: the package is truncated or altered.");
                }
            }
            byte[] Checked(string name)
            {
                var bytes = ReadSmall(zip, path, name);
                if (listed[name].Sha256 != Convert.ToHexStringLower(SHA256.HashData(bytes)))
                {
                    throw new PackageFormatException($"'{path}': the content of '{name}' does not match its manifest hash; the package is corrupt.");
                }
                return bytes;
            }
            var signature = ReadSignature(zip, path, manifestBytes);
            if (!listed.ContainsKey(PackageLayout.Settings))
            {
                throw new PackageFormatException($"'{path}' has no {PackageLayout.Settings}; it is not a Virtualization Workbench package.");
            }
            var settingsText = System.Text.Encoding.UTF8.GetString(Checked(PackageLayout.Settings));
            var settings = PackageSettings.Parse(settingsText, $"{path}!{PackageLayout.Settings}");
            var registry = zip.GetEntry(PackageLayout.Registry) is null
                ? new RegFileDocument()
                : RegFileParser.Parse(Checked(PackageLayout.Registry), $"{path}!{PackageLayout.Registry}");
            var report = zip.GetEntry(PackageLayout.Report) is null ? "" : System.Text.Encoding.UTF8.GetString(Checked(PackageLayout.Report));
            return new PackageFile(path, zip, manifest, manifestBytes, settings, registry, report, signature);
        }
        catch (Exception e) when (e is InvalidDataException or PackageSettingsException or RegFileFormatException)
        {
            zip.Dispose();
            throw new PackageFormatException($"'{path}' is corrupt: {e.Message}", e);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>Extracts the application's files to <paramref name="folder"/> (one subfolder per macro), and the
    /// settings, the registry and the list of files to its <see cref="PackageLayout.ExtractedMetadata"/> folder,
    /// checking each against the manifest's size and hash. The folder appears only when complete: the files go to
    /// a temporary folder beside it, which is then renamed; an instance that loses the race uses the winner's.</summary>
    public void ExtractTo(string folder)
    {
        if (Directory.Exists(folder))
        {
            if (ExtractionSeal.Holds(folder))
            {
                return;
            }
            // Changed since it was made and checked: it is never run, but moved aside, removed and made anew.
            var aside = $"{folder}.{Guid.NewGuid():N}.changed";
            try
            {
                Directory.Move(folder, aside);
                Directory.Delete(aside, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // Another instance moved it first.
            }
        }
        var parent = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(folder))!;
        Directory.CreateDirectory(parent);
        var temporary = System.IO.Path.Combine(parent, $".{System.IO.Path.GetFileName(folder)}.{Guid.NewGuid():N}.tmp");
        // The lock is taken before the temporary folder exists and held until it is renamed: a folder whose lock
        // nobody holds was left by an extraction that was killed, and the next extraction removes it.
        using var held = new FileStream(temporary + LockSuffix, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        RemoveAbandonedExtractions(parent);
        try
        {
            var metadata = System.IO.Path.Combine(temporary, PackageLayout.ExtractedMetadata);
            Directory.CreateDirectory(metadata);
            foreach (var entry in Manifest.Entries)
            {
                var relative = entry.Path.StartsWith(PackageLayout.FilesPrefix, StringComparison.Ordinal) ? entry.Path[PackageLayout.FilesPrefix.Length..]
                    : entry.Path is PackageLayout.Settings or PackageLayout.Registry ? PackageLayout.ExtractedMetadata + "/" + entry.Path
                    : null;
                if (relative is not null)
                {
                    ExtractChecked(entry, relative, temporary);
                }
            }
            File.WriteAllText(System.IO.Path.Combine(metadata, PackageLayout.ExtractedFileList), string.Concat(FileKeys.Select(key => key + "\0")));
            ExtractionSeal.Write(temporary);
            try
            {
                Directory.Move(temporary, folder);
            }
            catch (IOException) when (Directory.Exists(folder))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
        catch (InvalidDataException e)
        {
            Directory.Delete(temporary, recursive: true);
            throw new PackageFormatException($"'{Path}' is corrupt: {e.Message}", e);
        }
        catch
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
            throw;
        }
    }

    private const string LockSuffix = ".lock";

    /// <summary>Removes the temporary folders of extractions that were killed (see <see cref="ExtractTo"/>).</summary>
    private static void RemoveAbandonedExtractions(string parent)
    {
        foreach (var folder in Directory.EnumerateDirectories(parent, ".*.tmp"))
        {
            var lockPath = folder + LockSuffix;
            try
            {
                if (File.Exists(lockPath))
                {
                    // Opened exclusively only when no living extraction holds it.
                    using (new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                    {
                        Directory.Delete(folder, recursive: true);
                    }
                    File.Delete(lockPath);
                }
                else if (Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddHours(-1))
                {
                    // Left by a workbench from before the locks: removed once clearly abandoned.
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Held by a running extraction, or removed by another instance meanwhile.
            }
        }
    }

    private void ExtractChecked(ManifestEntry entry, string relative, string temporary)
    {
        var target = System.IO.Path.GetFullPath(System.IO.Path.Combine(temporary, relative));
        if (!target.StartsWith(temporary + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new PackageFormatException($"'{Path}': the entry '{entry.Path}' would land outside the extraction folder.");
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        using (var input = _zip.GetEntry(entry.Path)!.Open())
        using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                output.Write(buffer, 0, read);
            }
            if (Convert.ToHexStringLower(hash.GetHashAndReset()) != entry.Sha256)
            {
                throw new PackageFormatException($"'{Path}': the content of '{entry.Path}' does not match its manifest hash; the package is corrupt.");
            }
        }
        if (entry.Executable && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, File.GetUnixFileMode(target) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        File.SetLastWriteTimeUtc(target, PackageLayout.EntryTime.UtcDateTime);
    }

    /// <inheritdoc />
    public void Dispose() => _zip.Dispose();

    /// <summary>The package's signature, checked against the manifest's bytes; null when it has none. A signature
    /// that does not verify (the manifest changed after signing, or the signature was damaged) refuses the
    /// package whoever signed it: nothing a bad signature vouches for is run.</summary>
    private static PackageSignature? ReadSignature(ZipArchive zip, string path, byte[] manifestBytes)
    {
        var hasSignature = zip.GetEntry(PackageSignature.EntryName) is not null;
        if (hasSignature != (zip.GetEntry(PackageSignature.SignerEntryName) is not null))
        {
            throw new PackageFormatException($"'{path}' holds only one of {PackageSignature.EntryName} and {PackageSignature.SignerEntryName}: its signature is damaged, and the package is refused. Ask its publisher for a new copy.");
        }
        if (!hasSignature)
        {
            return null;
        }
        PackageSignature signature;
        try
        {
            signature = PackageSignature.Read(ReadSmall(zip, path, PackageSignature.SignerEntryName), ReadSmall(zip, path, PackageSignature.EntryName));
        }
        catch (FormatException e)
        {
            throw new PackageFormatException($"'{path}' has an unreadable {PackageSignature.SignerEntryName} ({e.Message}): its signature is damaged, and the package is refused.", e);
        }
        if (!signature.Verifies(manifestBytes))
        {
            throw new PackageFormatException($"'{path}' has a bad signature: its manifest (the list of every file's hash) does not match the signature of the key {signature.Fingerprint[..16]}. The package was changed after it was signed, or damaged; it is refused. Ask its publisher for a new copy.");
        }
        return signature;
    }

    private static byte[] ReadSmall(ZipArchive zip, string path, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new PackageFormatException($"'{path}' has no {name}; it is not a Virtualization Workbench package, or it is truncated.");
        var limit = PackageLimits.MetadataLimit(name);
        if (entry.Length > limit)
        {
            throw new PackageFormatException($"'{path}' is refused: its {name} expands to {entry.Length:N0} bytes, more than the {limit:N0} it may.");
        }
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        // Read no further than the limit whatever the zip declared.
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                throw new PackageFormatException($"'{path}' is refused: its {name} expands past the {limit:N0} bytes it may.");
            }
        }
        return buffer.ToArray();
    }
}
