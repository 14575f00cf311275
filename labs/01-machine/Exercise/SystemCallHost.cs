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
/// Grade your work with <c>workbench grade 01</c>.
/// </summary>
public sealed class SystemCallHost(UserProcess process)
{
    /// <summary>The largest buffer one write may name.</summary>
    public const uint MaxWrite = 4096;

    private readonly StringBuilder console = new();

    /// <summary>
    /// Runs the program until it exits, is killed, or has executed <paramref name="budget"/> instructions.
    /// An <c>int 0x80</c> comes back from <see cref="Core.Run"/> as a trap with vector 0x80 and the pc already
    /// past the instruction; any other trap is an exception the program caused and kills it.
    /// </summary>
    public ProgramOutcome Run(long budget)
    {
        // TODO: loop on process.Core.Run(instructions left) and act on each exit:
        //   - ExitReason.Trap with Vector 0x80: a system call: Serve it; after exit, return ProgramEnd.Exited
        //     with the code and the console text (console.ToString()).
        //   - any other ExitReason.Trap: return ProgramEnd.Killed with the reason
        //     $"killed by {CounterNames.VectorName(exit.Vector)} at pc 0x{exit.Pc:x8}".
        //   - ExitReason.BudgetSpent: return ProgramEnd.OutOfBudget.
        // Keep the budget for the whole run, not per call of Core.Run.
        _ = (process, console, budget);
        throw new NotImplementedException($"{nameof(SystemCallHost)}.{nameof(Run)}: the run loop is yours to write");
    }

    /// <summary>Serves the system call the core just made; the pc is already past <c>int 0x80</c>, so the
    /// program resumes after it.</summary>
    public void Serve(Core core)
    {
        // TODO: read the number from core.State.R[0] and the arguments from R[1] and R[2]; put the result in
        // R[0] (-1 is 0xFFFFFFFF). Read the program's bytes with process.Computer.Memory.Slice(buffer, length),
        // but only after checking the buffer as minikernel's sys_write does.
        _ = (core, typeof(CounterNames));
        throw new NotImplementedException($"{nameof(SystemCallHost)}.{nameof(Serve)}: the system calls are yours to write");
    }
}
