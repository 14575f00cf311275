namespace VirtualizationWorkbench.Machine.Cpu;

/// <summary>
/// Called before each instruction by the interpreter (<see cref="Core.Run{THooks}"/>). The loop is generic over a
/// struct implementing this, so the JIT compiles a separate loop per hook type, inlines the hook into it, and the
/// no-hook loop pays nothing for the debugger or a binary translator.
/// </summary>
public interface IExecutionHooks
{
    /// <summary>Return true to stop before executing the instruction at <paramref name="pc"/>, with
    /// <paramref name="reason"/> (<see cref="ExitReason.Breakpoint"/>, <see cref="ExitReason.Watchpoint"/> or
    /// <see cref="ExitReason.Translation"/>); the pc has not moved.</summary>
    bool StopBefore(Core core, uint pc, out ExitReason reason);
}

/// <summary>No hooks: the fast path.</summary>
internal struct NoHooks : IExecutionHooks
{
    public readonly bool StopBefore(Core core, uint pc, out ExitReason reason)
    {
        reason = default;
        return false;
    }
}
