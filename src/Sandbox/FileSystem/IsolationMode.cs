namespace VirtualizationWorkbench.Sandbox.FileSystem;

/// <summary>How much of the host a folder lets the application see and change, as in ThinApp.</summary>
public enum IsolationMode
{
    /// <summary>The host folder is visible and writable: changes land on the host.</summary>
    Merged,

    /// <summary>The host folder is visible, but every change lands in the sandbox (copy-on-write).</summary>
    WriteCopy,

    /// <summary>The host folder is invisible: only the package and the sandbox exist there.</summary>
    Full,
}

/// <summary>Parsing and printing of <see cref="IsolationMode"/> in the spellings users and Package.ini use.</summary>
public static class IsolationModes
{
    /// <summary>Every spelling accepted, for error messages.</summary>
    public const string Accepted = "merged, writecopy, full";

    /// <summary>Parses <c>merged</c>, <c>writecopy</c> (or <c>write-copy</c>) and <c>full</c>, without case.</summary>
    public static bool TryParse(string text, out IsolationMode mode)
    {
        // Compared without case rather than lowered: lowering a string uses a culture, and this runs at a package's
        // start before the application has chosen its globalization (see the packager's ApplicationGlobalization).
        var word = text.Trim().Replace("-", "", StringComparison.Ordinal);
        foreach (var (name, value) in Spellings)
        {
            if (word.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                mode = value;
                return true;
            }
        }
        mode = default;
        return false;
    }

    private static readonly (string Name, IsolationMode Mode)[] Spellings =
        [("merged", IsolationMode.Merged), ("writecopy", IsolationMode.WriteCopy), ("full", IsolationMode.Full)];
}
