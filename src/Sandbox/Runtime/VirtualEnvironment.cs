using System.Collections;
using System.Text;

namespace VirtualizationWorkbench.Sandbox.Runtime;

/// <summary>The environment the packaged application sees through the rewritten calls: the variables of the
/// host as they were at start-up plus the package's own, the special folders as the host has them (the virtual
/// filesystem decides what is really behind them), and a current folder of its own. The process's real
/// environment, which native code reads, is pointed into the sandbox separately by the launcher.</summary>
public sealed class VirtualEnvironment
{
    private readonly Dictionary<string, string> _variables;
    private readonly Dictionary<int, string> _folders = [];

    /// <summary>Captures the current process's environment, then lays <paramref name="packageVariables"/> over it.</summary>
    public VirtualEnvironment(IReadOnlyDictionary<string, string> packageVariables, string currentDirectory)
    {
        var comparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        _variables = new Dictionary<string, string>(comparer);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            _variables[(string)entry.Key] = (string?)entry.Value ?? "";
        }
        foreach (var (name, value) in packageVariables)
        {
            _variables[name] = Environment.ExpandEnvironmentVariables(value);
        }
        PackageVariableNames = [.. packageVariables.Keys];
        // Keyed by the number and filled by a plain loop: collections and LINQ over the enum itself are generic
        // code the framework has not precompiled, and their JIT compilation cost 6 ms of every package start.
        foreach (var folder in Enum.GetValues<Environment.SpecialFolder>())
        {
            _folders.TryAdd((int)folder, Environment.GetFolderPath(folder, Environment.SpecialFolderOption.DoNotVerify));
        }
        CurrentDirectory = currentDirectory;
    }

    /// <summary>The names of the variables the package sets.</summary>
    public IReadOnlyList<string> PackageVariableNames { get; }

    /// <summary>The application's current folder (a virtual path).</summary>
    public string CurrentDirectory { get; set; }

    /// <summary>A variable's value, or null.</summary>
    public string? GetVariable(string name) => _variables.GetValueOrDefault(name);

    /// <summary>Whether a variable the application sets reaches the processes it starts, as it does unpackaged:
    /// the launcher sets it in the process's own environment too (the copy .NET hands to child processes).</summary>
    public bool ChildProcessesInherit { get; init; }

    /// <summary>Sets (or with null, removes) a variable for this application (and, with
    /// <see cref="ChildProcessesInherit"/>, the processes it starts).</summary>
    public void SetVariable(string name, string? value)
    {
        if (ChildProcessesInherit)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
        if (value is null)
        {
            _variables.Remove(name);
        }
        else
        {
            _variables[name] = value;
        }
    }

    /// <summary>All variables.</summary>
    public IDictionary Variables() => new Hashtable(_variables);

    /// <summary>The host's folder for <paramref name="folder"/>, as it was at start-up.</summary>
    public string GetFolderPath(Environment.SpecialFolder folder) => _folders.GetValueOrDefault((int)folder, "");

    /// <summary>Replaces %NAME% references with the variables' values; unknown names stay as they are.</summary>
    public string Expand(string text)
    {
        var result = new StringBuilder();
        var index = 0;
        while (index < text.Length)
        {
            var start = text.IndexOf('%', index);
            var end = start < 0 ? -1 : text.IndexOf('%', start + 1);
            if (end < 0)
            {
                result.Append(text, index, text.Length - index);
                break;
            }
            var name = text[(start + 1)..end];
            if (GetVariable(name) is { } value)
            {
                result.Append(text, index, start - index).Append(value);
                index = end + 1;
            }
            else
            {
                result.Append(text, index, end - index);
                index = end;
            }
        }
        return result.ToString();
    }
}
