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

    /// <summary>Runs a command body, turning <see cref="UserError"/>, the lab engine's, the grader's and the network scenarios' <see cref="LabError"/>, <see cref="GradingError"/> and <see cref="ScenarioError"/>, and the I/O errors a user causes,
    /// such as a missing file) into a message on standard error and an exit code.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (UserError e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is LabError or GradingError or ScenarioError)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
