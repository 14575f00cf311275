using System.Text;
using VirtualizationWorkbench.Machine;
using CounterNames = VirtualizationWorkbench.Machine.Costs.Counters;

namespace VirtualizationWorkbench.Labs.SystemCalls;

/// <summary>
/// The host-side kernel of a <see cref="UserProcess"/>: it sits on the core's run loop and serves the
/// program's system calls, with the minikernel's ABI (labs/guests/minikernel.s): the number in r0, arguments in
/// r1 and r2, the result back in r0.
/// <list type="table">
/// <item><term>1 write(r1 = buffer, r2 = length)</term><description>appends the bytes to the console; returns the
/// length, or -1 (and writes nothing) unless the whole buffer lies in
/// [<see cref="UserProcess.UserBase"/>, <see cref="UserProcess.UserEnd"/>) and length ≤ 4096</description></item>
/// <item><term>2 yield()</term><description>returns 0 (there is no other process to run)</description></item>
/// <item><term>3 getpid()</term><description>returns <see cref="UserProcess.Pid"/></description></item>
/// <item><term>4 exit(r1 = code)</term><description>ends the program</description></item>
/// <item><term>anything else</term><description>returns -1; the program goes on</description></item>
/// </list>
/// </summary>
public sealed class SystemCallHost(UserProcess process)
{
    /// <summary>The largest buffer one write may name.</summary>
    public const uint MaxWrite = 4096;

    private const uint Failed = 0xFFFF_FFFF;
    private readonly StringBuilder console = new();
    private int? exitCode;

    /// <summary>
    /// Runs the program until it exits, is killed, or has executed <paramref name="budget"/> instructions.
    /// An <c>int 0x80</c> comes back from <see cref="Core.Run"/> as a trap with vector 0x80 and the pc already
    /// past the instruction; any other trap is an exception the program caused and kills it.
    /// </summary>
    public ProgramOutcome Run(long budget)
    {
        var core = process.Core;
        var stopAt = core.Counters.Instructions + (ulong)budget;
        while (true)
        {
            var left = (long)(stopAt - Math.Min(stopAt, core.Counters.Instructions));
            var exit = core.Run(left);
            switch (exit.Reason)
            {
                case ExitReason.Trap when exit.Vector == 0x80:
                    Serve(core);
                    if (exitCode is { } code) return new ProgramOutcome(ProgramEnd.Exited, code, console.ToString(), null);
                    break;
                case ExitReason.Trap:
                    return Killed($"killed by {CounterNames.VectorName(exit.Vector)} at pc 0x{exit.Pc:x8}");
                case ExitReason.BudgetSpent:
                    return new ProgramOutcome(ProgramEnd.OutOfBudget, 0, console.ToString(), null);
                default:
                    return Killed($"killed: unexpected exit {exit}");
            }
        }
    }

    /// <summary>Serves the system call the core just made; the pc is already past <c>int 0x80</c>, so the
    /// program resumes after it.</summary>
    public void Serve(Core core)
    {
        ref var state = ref core.State;
        state.R[0] = state.R[0] switch
        {
            1 => Write(state.R[1], state.R[2]),
            2 => 0,
            3 => (uint)process.Pid,
            4 => Exit(state.R[1]),
            _ => Failed,
        };
    }

    private uint Write(uint buffer, uint length)
    {
        // Checked as minikernel's sys_write does: start inside, length bounded, no wrap-around, end inside.
        if (buffer < UserProcess.UserBase || length > MaxWrite) return Failed;
        var end = buffer + length;
        if (end < buffer || end > UserProcess.UserEnd) return Failed;
        foreach (var b in process.Computer.Memory.Slice(buffer, length)) console.Append((char)b);
        return length;
    }

    private uint Exit(uint code)
    {
        exitCode = (int)code;
        return 0;
    }

    private ProgramOutcome Killed(string reason) => new(ProgramEnd.Killed, 0, console.ToString(), reason);
}
