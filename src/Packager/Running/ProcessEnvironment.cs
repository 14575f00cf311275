using System.Runtime.InteropServices;

namespace VirtualizationWorkbench.Packager.Running;

/// <summary>The second line of defence, for what rewriting cannot reach (framework internals, native
/// libraries, child processes): the process's own environment and current folder point into the sandbox.
/// .NET keeps its own copy of the environment on Unix, so variables are set both there (for managed readers and
/// child processes) and in the C library's (for native code).</summary>
internal static class ProcessEnvironment
{
    public static void Set(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (!OperatingSystem.IsWindows())
        {
            _ = setenv(name, value, 1);
        }
    }

    // DllImport rather than LibraryImport: the generated marshaller needs unsafe code, which this library avoids.
#pragma warning disable SYSLIB1054
    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int setenv(string name, string value, int overwrite);
#pragma warning restore SYSLIB1054
}
