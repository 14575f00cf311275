namespace VirtualizationWorkbench.Labs;

/// <summary>A fenced block of guest assembly a step's scripts can load by name.</summary>
/// <param name="Name">The name after <c>name=</c>, or <c>step{N}</c> when it has none.</param>
/// <param name="Source">The assembly text.</param>
/// <param name="Line">Line of the block's first source line in lab.md.</param>
public sealed record AssemblyBlock(string Name, string Source, int Line);

/// <summary>A fenced JavaScript block that drives the machine and checks what the student did.</summary>
/// <param name="Code">The script.</param>
/// <param name="Line">Line of the script's first line in lab.md (errors are reported against it).</param>
public sealed record ScriptBlock(string Code, int Line);

/// <summary>One step of a lab: the section under a level-2 heading.</summary>
public sealed record LabStep(
    int Number,
    string Title,
    string Markdown,
    IReadOnlyList<AssemblyBlock> Assembly,
    IReadOnlyList<ScriptBlock> Scripts,
    IReadOnlyList<string> Hints,
    IReadOnlyList<LabQuestion> Questions,
    int Line);
