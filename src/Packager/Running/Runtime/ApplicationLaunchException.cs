namespace VirtualizationWorkbench.Packager.Running.Runtime;

/// <summary>The application cannot start as its runtimeconfig.json says, and would not start unpackaged either:
/// the message reads as the .NET host's, and <see cref="ExitCode"/> is the host's exit status for it.</summary>
public sealed class ApplicationLaunchException(string message, int exitCode) : Exception(message)
{
    /// <summary>The .NET host's status: 150 (0x80008096, a framework that is missing) on Unix.</summary>
    public int ExitCode { get; } = exitCode;
}
