namespace VirtualizationWorkbench.Labs.SystemCalls;

/// <summary>How a user program's run ended.</summary>
public enum ProgramEnd
{
    /// <summary>It called <c>exit</c>.</summary>
    Exited,
    /// <summary>The host killed it for an exception (a privileged instruction, a fault, …).</summary>
    Killed,
    /// <summary>It was still running when its budget of instructions was spent.</summary>
    OutOfBudget,
}

/// <summary>The result of <see cref="SystemCallHost.Run"/>.</summary>
/// <param name="End">How the run ended.</param>
/// <param name="ExitCode">The code given to <c>exit</c> (0 unless <paramref name="End"/> is <see cref="ProgramEnd.Exited"/>).</param>
/// <param name="Console">Everything the program wrote with <c>write</c>.</param>
/// <param name="Reason">Why it was killed, e.g. <c>killed by general-protection at pc 0x00000010</c>; null otherwise.</param>
public sealed record ProgramOutcome(ProgramEnd End, int ExitCode, string Console, string? Reason);
