namespace VirtualizationWorkbench.Packager.Building;

/// <summary>A packaging input the user must fix (a folder without an entry point, a missing entry, a refused
/// rewrite under <c>--strict</c>, …); the message says what and where.</summary>
public sealed class PackagerException(string message, Exception? inner = null) : Exception(message, inner);
