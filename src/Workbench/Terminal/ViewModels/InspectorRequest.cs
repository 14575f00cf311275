using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>What the inspector is asked to open: a program, and the monitor to run it under (none: the bare
/// machine with the debugger).</summary>
/// <param name="Program">The program.</param>
/// <param name="Monitor">A monitor of <see cref="MonitorCatalog"/>, or null.</param>
public sealed record InspectorRequest(InspectedProgram Program, string? Monitor)
{
    /// <summary>Reads a request as <c>vm run</c> takes it: <c>FILE [-m MONITOR] [-D SYMBOL]…</c>.</summary>
    /// <exception cref="UserError">No file, an unknown option or monitor, a file that does not assemble.</exception>
    public static InspectorRequest Parse(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? file = null;
        string? monitor = null;
        var defines = new List<string>();
        for (var i = 0; i < words.Length; i++)
        {
            switch (words[i])
            {
                case "-m" or "--monitor" when i + 1 < words.Length:
                    monitor = words[++i];
                    break;
                case "-D" or "--define" when i + 1 < words.Length:
                    defines.Add(words[++i]);
                    break;
                case var word when word.StartsWith('-'):
                    throw new UserError($"'{word}': the inspector takes FILE, -m MONITOR and -D SYMBOL (each option with its value)");
                case var word when file is null:
                    file = word.Trim('\'', '"');
                    break;
                default:
                    throw new UserError($"'{words[i]}': one program at a time (FILE [-m MONITOR] [-D SYMBOL]…)");
            }
        }
        if (file is null) throw new UserError("no program given: write FILE [-m MONITOR] [-D SYMBOL]…");
        if (monitor is not null && !MonitorCatalog.Names.Contains(monitor))
        {
            throw new UserError($"-m: no monitor '{monitor}'; choose from {string.Join(", ", MonitorCatalog.Names)}");
        }
        return new InspectorRequest(InspectedProgram.FromFile(file, defines), monitor);
    }
}
