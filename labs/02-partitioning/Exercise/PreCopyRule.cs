namespace VirtualizationWorkbench.Labs.PreCopy;

/// <summary>
/// When pre-copy stops iterating: after <see cref="MaxRounds"/> rounds (Xen stops after 5), when at most
/// <see cref="RemainingPages"/> pages are dirty (Xen: fewer than 50), or when the dirty pages would take at most
/// <see cref="DowntimeTicks"/> ticks to send (QEMU's remaining / bandwidth ≤ downtime limit). Any one of the three
/// stops it. (This file is given: do not change it.)
/// </summary>
public sealed record PreCopyRule(int MaxRounds, int RemainingPages, long DowntimeTicks);
