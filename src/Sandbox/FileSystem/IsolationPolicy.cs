using VirtualizationWorkbench.Sandbox.Paths;

namespace VirtualizationWorkbench.Sandbox.FileSystem;

/// <summary>The isolation mode of every folder: a default, and rules per folder that subfolders inherit until a
/// deeper rule says otherwise (ThinApp's per-folder <c>DirectoryIsolationMode</c>). Folder names compare as the
/// platform's filesystem compares them (exactly on Linux, without case on Windows): a name spelled in another
/// Unicode normalization form is another folder on Linux, with its own rule.</summary>
public sealed class IsolationPolicy
{
    private readonly Dictionary<string, IsolationMode> _rules;

    /// <summary>Creates a policy.</summary>
    /// <param name="defaultMode">The mode of folders no rule covers.</param>
    /// <param name="rules">Folder keys (<c>%AppData%/App</c>) and their modes.</param>
    public IsolationPolicy(IsolationMode defaultMode, IReadOnlyDictionary<string, IsolationMode>? rules = null)
    {
        DefaultMode = defaultMode;
        _rules = new Dictionary<string, IsolationMode>(FolderMacros.PathComparer);
        foreach (var (key, mode) in rules ?? new Dictionary<string, IsolationMode>())
        {
            _rules[VirtualLocation.ParseKey(key).Key] = mode;
        }
    }

    /// <summary>The mode of folders no rule covers.</summary>
    public IsolationMode DefaultMode { get; }

    /// <summary>The per-folder rules, by folder key.</summary>
    public IReadOnlyDictionary<string, IsolationMode> Rules => _rules;

    /// <summary>The mode that applies at <paramref name="location"/>: the rule of the nearest folder at or above it;
    /// but never <see cref="IsolationMode.Full"/> in a view of the running system (<see cref="IsSystemView"/>).</summary>
    public IsolationMode ModeOf(VirtualLocation location)
    {
        var mode = RuleOf(location);
        return mode == IsolationMode.Full && IsSystemView(location) ? IsolationMode.WriteCopy : mode;
    }

    /// <summary>Whether <paramref name="location"/> lies in <c>/proc</c>, <c>/sys</c> or <c>/dev</c> on Linux: the kernel's
    /// views of the running system (the process's own command line, its memory maps, the terminal), which hold none
    /// of the user's files. Hiding them breaks real applications (PowerShell reads <c>/proc/self/cmdline</c> before
    /// anything else), and the kernel boundary shows them read-only under every rule, so the rewritten calls show
    /// them too: a <see cref="IsolationMode.Full"/> rule counts as <see cref="IsolationMode.WriteCopy"/> there.</summary>
    public static bool IsSystemView(VirtualLocation location)
    {
        if (!OperatingSystem.IsLinux() || location.Macro != FolderMacros.RootMacro || location.Relative.Length == 0)
        {
            return false;
        }
        var slash = location.Relative.IndexOf('/');
        return (slash < 0 ? location.Relative : location.Relative[..slash]) is "proc" or "sys" or "dev";
    }

    private IsolationMode RuleOf(VirtualLocation location)
    {
        if (_rules.Count == 0)
        {
            return DefaultMode;
        }
        for (VirtualLocation? at = location; at is { } current; at = current.Parent)
        {
            if (_rules.TryGetValue(current.Key, out var mode))
            {
                return mode;
            }
        }
        return DefaultMode;
    }

    /// <summary>Whether every folder has the same mode (then no path can reach a folder of another mode).</summary>
    public bool IsUniform => _rules.Values.All(mode => mode == DefaultMode);
}
