namespace VirtualizationWorkbench.Sandbox.Paths;

/// <summary>Where a path lives in the virtual filesystem: a folder macro (<c>%AppData%</c>) and a path relative
/// to it, with '/' separators and no <c>.</c> or <c>..</c> segments. Two spellings of one host path give one
/// location, so the package, the sandbox and the isolation rules all agree on it.</summary>
/// <param name="Macro">The macro name with its percent signs, e.g. <c>%AppData%</c>.</param>
/// <param name="Relative">The path below the macro folder; empty for the macro folder itself.</param>
public readonly record struct VirtualLocation(string Macro, string Relative)
{
    /// <summary>The location as stored in packages and sandboxes: <c>%AppData%/App/settings.json</c>.</summary>
    public string Key => Relative.Length == 0 ? Macro : Macro + "/" + Relative;

    /// <summary>The parent location, or null for a macro folder.</summary>
    public VirtualLocation? Parent
    {
        get
        {
            if (Relative.Length == 0)
            {
                return null;
            }
            var slash = Relative.LastIndexOf('/');
            return new VirtualLocation(Macro, slash < 0 ? "" : Relative[..slash]);
        }
    }

    /// <summary>The last segment of the path (the macro for a macro folder).</summary>
    public string Name => Relative.Length == 0 ? Macro : Relative[(Relative.LastIndexOf('/') + 1)..];

    /// <summary>The child location named <paramref name="name"/>.</summary>
    public VirtualLocation Child(string name) => new(Macro, Relative.Length == 0 ? name : Relative + "/" + name);

    /// <summary>Parses a key such as <c>%AppData%/App/x</c> or <c>%AppData%\App\x</c>.</summary>
    public static VirtualLocation ParseKey(string key)
    {
        var normalized = key.Replace('\\', '/').Trim('/');
        var slash = normalized.IndexOf('/');
        var macro = slash < 0 ? normalized : normalized[..slash];
        var relative = slash < 0 ? "" : normalized[(slash + 1)..];
        if (macro.Length < 3 || macro[0] != '%' || macro[^1] != '%')
        {
            throw new ArgumentException($"'{key}' does not start with a folder macro such as %AppData%.", nameof(key));
        }
        foreach (var segment in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment is "." or "..")
            {
                throw new ArgumentException($"'{key}' contains a '{segment}' segment; package paths must stay inside their folder.", nameof(key));
            }
        }
        return new VirtualLocation(macro, string.Join('/', relative.Split('/', StringSplitOptions.RemoveEmptyEntries)));
    }

    /// <inheritdoc />
    public override string ToString() => Key;
}
