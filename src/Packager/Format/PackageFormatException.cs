namespace VirtualizationWorkbench.Packager.Format;

/// <summary>A package file that cannot be used: truncated, corrupt, tampered with, or holding a path that would
/// escape its folder. The message names the package and what is wrong.</summary>
public sealed class PackageFormatException(string message, Exception? inner = null) : Exception(message, inner);
