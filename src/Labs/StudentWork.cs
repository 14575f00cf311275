namespace VirtualizationWorkbench.Labs;

/// <summary>What a check run knows about one student: the seed their generated numbers come from, their answers
/// by question id, and their work folder (null before <c>lab start</c>).</summary>
public sealed record StudentWork(int Seed, IReadOnlyDictionary<string, string> Answers, string? WorkDirectory);
