using System.Diagnostics;
using System.Globalization;
using VirtualizationWorkbench.Machine;

namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// The account of one step's scripts against <see cref="ScriptLimits"/>: the statements, time and memory of the
/// block running now, and the machines the step has created. The script engine charges statements and memory
/// before every statement; host calls that can take long (machine and monitor runs) are stopped at the same
/// deadline, so one clock bounds a block whether it spends its time in JavaScript, in a built-in or in a guest.
/// </summary>
/// <remarks>
/// Order of use: <see cref="Begin"/> before a block, <see cref="End"/> after it (in a <c>finally</c>). Not
/// thread-safe except <see cref="StopToken"/>'s callbacks: one step's scripts run on one thread.
/// </remarks>
public sealed class ScriptBudget(ScriptLimits limits)
{
    // Statements between two looks at the clock. Between them a statement looks only at the stop token, which
    // a timer cancels at the deadline: one field read, so a statement that takes long (a regular expression
    // running into its own timeout, say) is caught at the next statement, not 1,024 statements later. The clock
    // is the backstop for a timer that fires late on a busy thread pool.
    private const int ClockInterval = 1024;

    private long statements;
    private long deadline;
    private long allocatedAtStart;
    private long hostAllocated;
    private CancellationToken cancellation;
    private CancellationTokenSource? stopSource;
    private CancellationToken stop;
    private long machineBytes;
    private int machines;

    /// <summary>The limits this account enforces.</summary>
    public ScriptLimits Limits { get; } = limits;

    /// <summary>Cancelled when the running block's time is up or its caller cancels: a host call that cannot
    /// look at the clock itself (a machine run) registers a stop on it.</summary>
    internal CancellationToken StopToken => stop;

    /// <summary>Starts the account of one script block.</summary>
    internal void Begin(CancellationToken caller)
    {
        cancellation = caller;
        statements = 0;
        hostAllocated = 0;
        deadline = Stopwatch.GetTimestamp() + (long)(Limits.Time.TotalSeconds * Stopwatch.Frequency);
        stopSource = CancellationTokenSource.CreateLinkedTokenSource(caller);
        stopSource.CancelAfter(Limits.Time);
        stop = stopSource.Token;
        // Last, so that setting up the account is not charged to the script.
        allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
    }

    /// <summary>Ends the block's account; safe to call twice.</summary>
    internal void End()
    {
        stopSource?.Dispose();
        stopSource = null;
        stop = CancellationToken.None;
    }

    /// <summary>Charges one statement and checks memory, time and cancellation. Called by the engine before each
    /// statement.</summary>
    /// <exception cref="ScriptLimitException">A limit is spent.</exception>
    internal void ChargeStatement()
    {
        if (++statements > Limits.MaxStatements)
        {
            throw new ScriptLimitException($"the script ran more than {Limits.MaxStatements.ToString("N0", CultureInfo.InvariantCulture)} statements; does it loop forever?");
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart - hostAllocated;
        if (allocated > Limits.MemoryBytes)
        {
            throw new ScriptLimitException($"the script allocated more than {Megabytes(Limits.MemoryBytes)}; does it build ever larger strings or arrays?");
        }
        if (stop.IsCancellationRequested || statements % ClockInterval == 0) ThrowIfSpent();
    }

    /// <summary>Fails if the caller cancelled or the block's time is up.</summary>
    /// <exception cref="OperationCanceledException">The caller cancelled the check.</exception>
    /// <exception cref="ScriptLimitException">The time is up.</exception>
    public void ThrowIfSpent(string? during = null)
    {
        cancellation.ThrowIfCancellationRequested();
        // The token first: once a timer has cancelled it, the time is up even if the clock reads a hair short.
        if (stop.IsCancellationRequested || Stopwatch.GetTimestamp() >= deadline)
        {
            cancellation.ThrowIfCancellationRequested();
            throw new ScriptLimitException($"the script ran longer than {Seconds(Limits.Time)}{(during is null ? "" : $" (stopped in {during})")}; does it loop forever?");
        }
    }

    /// <summary>Runs host work whose allocations are not the script's: building and running machines, whose
    /// memory is bounded by <see cref="Claim"/> and the machine's own caps instead. What the work returns to
    /// the script is converted outside this call, so it still counts.</summary>
    internal T Uncounted<T>(Func<T> work)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            return work();
        }
        finally
        {
            hostAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }

    /// <summary>Accounts for one more machine of <paramref name="bytes"/> of guest memory in this step.</summary>
    /// <exception cref="ScriptFailure">The step's machines would exceed <see cref="ScriptLimits.MaxMachines"/>
    /// or <see cref="ScriptLimits.MachineMemoryBytes"/>.</exception>
    internal void Claim(long bytes, string call)
    {
        if (machines + 1 > Limits.MaxMachines)
        {
            throw new ScriptFailure($"{call}: a step's scripts may create at most {Limits.MaxMachines} machines, monitors and systems; reuse one");
        }
        if (machineBytes + bytes > Limits.MachineMemoryBytes)
        {
            throw new ScriptFailure($"{call}: a step's machines may have {Megabytes(Limits.MachineMemoryBytes)} of memory in all, and this one would bring them to {Megabytes(machineBytes + bytes)}; use smaller machines or reuse one");
        }
        machines++;
        machineBytes += bytes;
    }

    /// <summary>
    /// Runs <paramref name="run"/> (a run of <paramref name="computer"/>, or of a monitor or system on it) and
    /// stops it through <see cref="Core.RequestStop"/> when the block's time is up or the caller cancels. The
    /// stop flag is the machine's own "stop now", honoured within 65,536 instructions by the core and handed
    /// back as a stopped run by every monitor, so a run nobody stops is exactly what it always was, counters
    /// included.
    /// </summary>
    /// <param name="computer">The machine whose cores to stop.</param>
    /// <param name="run">The run.</param>
    /// <param name="stopped">Whether the run's result says it was stopped.</param>
    /// <param name="call">The script's call, for the error.</param>
    internal T Run<T>(Computer computer, Func<T> run, Func<T, bool> stopped, string call)
    {
        ThrowIfSpent(call);
        T result;
        using (stop.Register(() =>
        {
            foreach (var core in computer.Cores) core.RequestStop();
        }))
        {
            result = Uncounted(run);
        }
        // Only this account stops the machine, and it cancels its token before asking, so a stopped run always
        // ends here in an error.
        if (stopped(result)) ThrowIfSpent(call);
        return result;
    }

    /// <summary>A duration as scripts' errors say it: "20 seconds", "1 second", "0.2 seconds".</summary>
    internal static string Seconds(TimeSpan time) =>
        time == TimeSpan.FromSeconds(1) ? "1 second" : $"{time.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds";

    private static string Megabytes(long bytes) => $"{(bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture)} MB";
}

/// <summary>A script used up one of its <see cref="ScriptLimits"/>; the message says which and what to do. A CLR
/// exception on purpose: a script cannot catch it, and Jint attaches the JavaScript location to it on the way
/// out.</summary>
internal sealed class ScriptLimitException(string message) : Exception(message);
