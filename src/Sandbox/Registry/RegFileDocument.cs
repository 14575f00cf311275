namespace VirtualizationWorkbench.Sandbox.Registry;

/// <summary>The content of a <c>.reg</c> file, in file order.</summary>
public sealed class RegFileDocument
{
    /// <summary>The key blocks in file order.</summary>
    public List<RegFileKey> Keys { get; } = [];
}

/// <summary>One <c>[KEY]</c> block (or <c>[-KEY]</c> line) of a <c>.reg</c> file.</summary>
/// <param name="Path">The key path with the full hive name.</param>
/// <param name="Delete">True for <c>[-KEY]</c>: delete the key and everything below.</param>
/// <param name="Values">The block's values in order; the default value has the empty name; null deletes (<c>"name"=-</c>).</param>
public sealed record RegFileKey(string Path, bool Delete, List<(string Name, RegistryValue? Value)> Values);
