using System.Diagnostics;
using System.Runtime.InteropServices;

namespace VirtualizationWorkbench.Experiments;

/// <summary>
/// The CPU time the calling thread has used, in seconds: what a measurement on a shared machine should read, since
/// wall time also counts the time other processes held the core. On Linux it is
/// <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c> (nanosecond resolution, the kernel's own accounting); elsewhere
/// there is no portable per-thread clock in .NET, so it falls back to the wall clock and says so in
/// <see cref="Kind"/>, and a report can print which clock it read.
/// </summary>
public static class ThreadCpuClock
{
    // CLOCK_THREAD_CPUTIME_ID in <linux/time.h>.
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    // DllImport rather than LibraryImport: the generated marshaller needs unsafe code, which this library avoids.
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private static readonly bool Available = Probe();

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8) return false;
        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out _) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Which clock <see cref="Now"/> reads: "thread CPU time" or "wall time (no thread CPU clock on this
    /// system)".</summary>
    public static string Kind => Available ? "thread CPU time" : "wall time (no thread CPU clock on this system)";

    /// <summary>Whether <see cref="Now"/> is the thread's CPU time rather than the wall-clock fallback.</summary>
    public static bool IsCpuTime => Available;

    /// <summary>Seconds of CPU time this thread has used so far (or wall seconds on the fallback); only
    /// differences between two readings on the same thread mean anything.</summary>
    public static double Now()
    {
        if (!Available) return (double)Stopwatch.GetTimestamp() / Stopwatch.Frequency;
        // The clock answered once; it cannot fail later for the calling thread (EINVAL and EFAULT are the only errors).
        ClockGetTime(ClockThreadCpuTimeId, out var time);
        return time.Seconds + time.Nanoseconds * 1e-9;
    }
}
