using VirtualizationWorkbench.Grading;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Network.Scenarios;

namespace VirtualizationWorkbench.Workbench;

/// <summary>A mistake the user can fix (a bad file, a bad option): reported as one clear message and a
/// non-zero exit code, never as a stack trace.</summary>
public sealed class UserError(string message, int exitCode = 2) : Exception(message)
{
    /// <summary>The process exit code for this error.</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>Runs a command body, turning <see cref="UserError"/>, the lab engine's and the grader's <see cref="LabError"/> and <see cref="GradingError"/>, and the I/O errors a user causes,
    /// such as a missing file) into a message on standard error and an exit code.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            Console.Error.WriteLine($"error: {message}");
            return e is UserError user ? user.ExitCode : 2;
        }
    }

    /// <summary>The message of an error the user caused (see <see cref="Guard"/>), or null for a fault of the
    /// workbench itself. The terminal UI shows these in its message line instead of closing.</summary>
    public static string? Describe(Exception e) =>
        e is UserError or LabError or GradingError or ScenarioError or VirtualizationWorkbench.Partitioning.PartitionError or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException
            ? e.Message
            : null;
}
