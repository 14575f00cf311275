using System.Diagnostics;
using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for <see cref="Process"/>'s starts so the log monitor (<c>app run --trace</c>) records every
/// process the application starts, with what isolates it. The start itself is the framework's: a child process
/// runs no rewritten code, so only the kernel boundary keeps it in the sandbox (and <c>pack</c> still reports the
/// call as reaching the host where the sandbox is advisory).</summary>
[RedirectsCallsTo(typeof(Process))]
public static class ProcessRedirects
{
    public static Process? Start(ProcessStartInfo startInfo)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        Note(startInfo);
        return Process.Start(startInfo);
    }

    public static Process Start(string fileName)
    {
        Note(fileName, []);
        return Process.Start(fileName);
    }

    public static Process Start(string fileName, string arguments)
    {
        Note(fileName, [arguments]);
        return Process.Start(fileName, arguments);
    }

    public static Process Start(string fileName, IEnumerable<string> arguments)
    {
        var listed = arguments?.ToArray() ?? throw new ArgumentNullException(nameof(arguments));
        Note(fileName, listed);
        return Process.Start(fileName, listed);
    }

    public static bool Start(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        Note(process.StartInfo);
        return process.Start();
    }

    private static void Note(ProcessStartInfo startInfo) =>
        Note(startInfo.FileName, startInfo.ArgumentList.Count > 0 ? [.. startInfo.ArgumentList] : startInfo.Arguments.Length > 0 ? [startInfo.Arguments] : []);

    private static void Note(string? fileName, string[] arguments)
    {
        if (SandboxRuntime.Current.FileSystem.Trace is { } trace)
        {
            trace.Process("start", string.Join(' ', [fileName ?? "", .. arguments]));
        }
    }
}
