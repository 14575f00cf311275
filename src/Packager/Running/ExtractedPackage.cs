using VirtualizationWorkbench.Packager.Format;
using VirtualizationWorkbench.Packager.Settings;
using VirtualizationWorkbench.Sandbox.Registry;

namespace VirtualizationWorkbench.Packager.Running;

/// <summary>A package as extracted to this machine's package cache, checked against its manifest when it was
/// extracted: what a start needs (settings, file list, registry) read from the extraction, not the package.</summary>
public sealed class ExtractedPackage
{
    private readonly string _packagePath;

    private ExtractedPackage(string packagePath, string id, string folder, PackageSettings settings, IReadOnlyList<string> fileKeys)
    {
        _packagePath = packagePath;
        Id = id;
        Folder = folder;
        Settings = settings;
        FileKeys = fileKeys;
    }

    /// <summary>The package's content id (<see cref="PackageFile.Id"/>).</summary>
    public string Id { get; }

    /// <summary>The extraction folder: one subfolder per macro.</summary>
    public string Folder { get; }

    /// <summary>The settings.</summary>
    public PackageSettings Settings { get; }

    /// <summary>The keys of the application's files (<c>%ProgramFilesDir%/App/App.dll</c>).</summary>
    public IReadOnlyList<string> FileKeys { get; }

    /// <summary>Opens the package at <paramref name="packagePath"/> for running. When the file is unchanged since
    /// a start last extracted it (<see cref="PackageStamp"/>), the extraction is used as it is; otherwise the
    /// package is opened and checked in full (<see cref="PackageFile.Open"/>) and extracted if it is new.
    /// <paramref name="prepare"/> sees the settings before anything is extracted, so that a mistake it finds (an
    /// entry point that does not exist, a sandbox that cannot be written) leaves no extraction behind; what it
    /// returns comes back in <paramref name="prepared"/>. <paramref name="trust"/> (by default
    /// <see cref="PackageTrust.ForThisUser"/>) decides whether the package's signer may run it, on the signer
    /// the stamp names when the package is unchanged, else on the signature just verified.</summary>
    /// <exception cref="PackageFormatException">The package is unusable, or its signature bad or not trusted.</exception>
    public static ExtractedPackage Open<T>(string packagePath, Func<PackageSettings, T> prepare, out T prepared, PackageTrust? trust = null)
    {
        if (Boundary.KernelBoundary.InsideFor is { } inside && Load(packagePath, inside) is { } checkedOutside)
        {
            // Inside the kernel boundary the package file itself may be hidden by the rules; the workbench that
            // made the boundary checked it and names its extraction, which is mounted read-only here.
            prepared = prepare(checkedOutside.Settings);
            return checkedOutside;
        }
        var fullPath = Path.GetFullPath(packagePath);
        // Looked at before the package is read, so that a change made while it is read leaves a stamp that no
        // longer matches, never one that vouches for content it did not check.
        var identity = PackageStamp.Identify(fullPath);
        trust ??= PackageTrust.ForThisUser();
        // A stamped signer the trusted keys do not accept is not refused here: the full open below says why.
        if (identity is { } current && PackageStamp.Find(fullPath, current) is { } stamped
            && trust.Accepts(stamped.Signer.Length == 0 ? null : stamped.Signer) && Load(packagePath, stamped.Id) is { } warm)
        {
            prepared = prepare(warm.Settings);
            return warm;
        }
        string id;
        byte[] signer;
        using (var package = PackageFile.Open(packagePath))
        {
            // Before the settings are looked at or anything is extracted: a package nobody trusted leaves nothing.
            trust.Check(package.Signature, packagePath);
            prepared = prepare(package.Settings);
            id = package.Id;
            signer = package.Signature?.SignerKey ?? [];
            package.ExtractTo(SandboxLocation.PackageCache(id));
        }
        if (identity is { } checkedIdentity)
        {
            PackageStamp.Write(fullPath, checkedIdentity, id, signer);
        }
        return Load(packagePath, id)
            ?? throw new PackageFormatException($"The extraction of '{packagePath}' at '{SandboxLocation.PackageCache(id)}' is incomplete; delete that folder and run again.");
    }

    /// <summary>The package's registry hive.</summary>
    /// <exception cref="RegFileFormatException">The extracted hive is unreadable.</exception>
    public RegFileDocument ReadRegistry()
    {
        var file = Path.Combine(Folder, PackageLayout.ExtractedMetadata, PackageLayout.Registry);
        return File.Exists(file) ? RegFileParser.Parse(File.ReadAllBytes(file), $"{_packagePath}!{PackageLayout.Registry}") : new RegFileDocument();
    }

    private static ExtractedPackage? Load(string packagePath, string id)
    {
        var folder = SandboxLocation.PackageCache(id);
        var metadata = Path.Combine(folder, PackageLayout.ExtractedMetadata);
        string settings, files;
        try
        {
            settings = File.ReadAllText(Path.Combine(metadata, PackageLayout.Settings));
            files = File.ReadAllText(Path.Combine(metadata, PackageLayout.ExtractedFileList));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (!ExtractionSeal.Holds(folder))
        {
            // Changed since it was made: the caller opens the package again, which makes the extraction anew.
            return null;
        }
        var keys = files.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        return new ExtractedPackage(packagePath, id, folder, PackageSettings.Parse(settings, $"{packagePath}!{PackageLayout.Settings}"), keys);
    }
}
