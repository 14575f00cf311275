namespace VirtualizationWorkbench.Experiments;

/// <summary>
/// One fixed guest workload of <c>workbench bench</c>: a guest program, the same algorithm in plain C#, and
/// how to read the guest's answer so the two can be checked against each other.
/// </summary>
/// <param name="Name">Short name, used in the JSON.</param>
/// <param name="Description">What it exercises.</param>
/// <param name="Source">The guest program for a given iteration count.</param>
/// <param name="Native">The same algorithm in C#, returning the value the guest leaves in r3.</param>
/// <param name="Iterations">The iteration count the benchmark uses.</param>
public sealed record CoreWorkload(string Name, string Description, Func<int, string> Source, Func<int, uint> Native, int Iterations);
