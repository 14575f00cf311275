namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// What one lab script may use. A lab may come from someone else's course, so every resource a script can spend
/// is bounded: a broken or hostile lab ends in a <see cref="LabScriptException"/> that says which limit it hit,
/// never in a hung or crashed workbench. The defaults are what <c>workbench lab check</c> runs with (documented
/// in <c>curriculum/authoring.md</c>); tests pass smaller ones so a runaway script stops in a fraction of a second.
/// </summary>
public sealed record ScriptLimits
{
    /// <summary>The limits <c>lab check</c> and the terminal UI run with.</summary>
    public static ScriptLimits Default { get; } = new();

    /// <summary>Statements one script block may execute.</summary>
    public int MaxStatements { get; init; } = 2_000_000;

    /// <summary>Wall-clock time one script block may take: statements, built-ins (a regular expression, a
    /// <c>join</c>) and host calls (machine and monitor runs) all count against the same deadline.</summary>
    public TimeSpan Time { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Bytes one script block may allocate: its strings, arrays and objects and the values host calls
    /// hand it (a console's text, an event list). The memory of the machines it creates counts against
    /// <see cref="MachineMemoryBytes"/> instead, so a lab that builds a few monitors is not mistaken for a
    /// memory hog.</summary>
    public long MemoryBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>How deep function calls may nest.</summary>
    public int RecursionDepth { get; init; } = 256;

    /// <summary>How long one regular-expression match may take before it is given up as catastrophic
    /// backtracking.</summary>
    public TimeSpan RegexTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Elements one JavaScript array may have.</summary>
    public uint MaxArrayLength { get; init; } = 16 * 1024 * 1024;

    /// <summary>Guest memory of all the machines, monitors and split systems the scripts of one step create
    /// (each is allocated in full when it is created).</summary>
    public long MachineMemoryBytes { get; init; } = 1024L * 1024 * 1024;

    /// <summary>How many machines, monitors and split systems the scripts of one step may create.</summary>
    public int MaxMachines { get; init; } = 64;

    /// <summary>Characters of text a host call reads for a script or takes from it: a work file, a shared
    /// guest, an included file, text fed to a console.</summary>
    public int MaxTextLength { get; init; } = 1024 * 1024;
}
