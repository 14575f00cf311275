namespace VirtualizationWorkbench.Emulation.UserMode;

/// <summary>How a user-mode program ended.</summary>
public enum LinuxOutcome
{
    /// <summary>It called exit or exit_group.</summary>
    Exited,
    /// <summary>A trap no handler takes (illegal instruction, unmapped address): the signal Linux would send.</summary>
    GuestException,
    /// <summary>It ran out of instructions (<c>--max-steps</c>).</summary>
    StepLimit,
}

/// <summary>The end of a user-mode run: outcome, exit code (the program's, or 128 + the signal), a message for
/// the user when it did not exit by itself, and the counters.</summary>
public sealed record LinuxRunResult(LinuxOutcome Outcome, int ExitCode, string Message, ulong Instructions, ulong Cycles,
    long BlocksTranslated, long SystemCalls, string UnknownSystemCalls);
