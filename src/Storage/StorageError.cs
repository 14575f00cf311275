namespace VirtualizationWorkbench.Storage;

/// <summary>
/// A request the storage layer refuses, said so a user can act on it: what, which volume or disk, and what to
/// do instead. Thrown before anything changes: a refused request leaves every mapping and every sector as it was.
/// </summary>
public sealed class StorageError(string message) : Exception(message);
