using VirtualizationWorkbench.Partitioning.Migration;

namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// One <c>lab.migrate(…)</c> of a step, kept with how it was asked for, so that the terminal UI can draw its rounds
/// once the step ran.
/// </summary>
/// <param name="Workload">idle, moderate or diabolical.</param>
/// <param name="Mode">pre-copy, stop-and-copy or hybrid.</param>
/// <param name="MegabitsPerSecond">The link.</param>
/// <param name="StopRule">Pre-copy's stop rule as the script gave it; empty for the other modes.</param>
/// <param name="ClearDirtyOnSend">Whether a page written before it was sent stopped counting as dirty.</param>
/// <param name="Result">What the migration did.</param>
public sealed record ScriptMigration(string Workload, string Mode, double MegabitsPerSecond, string StopRule, bool ClearDirtyOnSend, MigrationResult Result);
