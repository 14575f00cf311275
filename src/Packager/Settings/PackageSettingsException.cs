namespace VirtualizationWorkbench.Packager.Settings;

/// <summary>A Package.ini that cannot be used; the message names the file and line.</summary>
public sealed class PackageSettingsException(string message) : Exception(message);
