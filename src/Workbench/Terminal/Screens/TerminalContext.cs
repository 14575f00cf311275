using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Labs.Progress;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>What every screen may need: the labs (and the lessons beside them) and the student's progress.</summary>
public sealed record TerminalContext(LabCatalog Catalog, ProgressStore Store);
