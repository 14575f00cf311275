using VirtualizationWorkbench.Packager.Settings;

namespace VirtualizationWorkbench.Packager.Running;

/// <summary>Where things live on the user's machine: sandboxes (one per package, named after it, as ThinApp
/// keeps them under the user's data folder), extracted packages, and capture snapshots.</summary>
public static class SandboxLocation
{
    /// <summary>The workbench's folder in the user's local data folder.</summary>
    public static string DataRoot
    {
        get
        {
            var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return Path.Combine(data.Length > 0 ? data : Path.GetTempPath(), "VirtualizationWorkbench");
        }
    }

    /// <summary>The folder packages are extracted to, by content id.</summary>
    public static string PackageCache(string packageId) => Path.Combine(DataRoot, "extracted", packageId);

    /// <summary>The sandbox of a package: <paramref name="overridePath"/> if given; else the settings'
    /// SandboxPath (relative to the package's folder) joined with the sandbox name; else the user's data folder.</summary>
    public static string For(PackageSettings settings, string packagePath, string? overridePath)
    {
        if (overridePath is not null)
        {
            return Path.GetFullPath(overridePath);
        }
        var root = settings.SandboxPath.Length > 0
            ? Path.GetFullPath(settings.SandboxPath, Path.GetDirectoryName(Path.GetFullPath(packagePath))!)
            : Path.Combine(DataRoot, "Sandboxes");
        return Path.Combine(root, settings.SandboxName);
    }
}
