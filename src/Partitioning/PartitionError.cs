namespace VirtualizationWorkbench.Partitioning;

/// <summary>
/// A request the partition firmware refuses: a profile the machine cannot satisfy, overlapping partitions, memory
/// a guest still uses, a migration to a machine too small, a link without bandwidth. The message says what, where
/// and what to do; when it is thrown, no partition has been changed.
/// </summary>
public sealed class PartitionError(string message) : Exception(message);
