using System.Reflection;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Registry;

namespace VirtualizationWorkbench.Sandbox.Runtime;

/// <summary>Everything one run of a packaged application is virtualized by: its filesystem, registry and
/// environment, and where it was loaded from.</summary>
/// <param name="FileSystem">The virtual filesystem.</param>
/// <param name="Registry">The virtual registry.</param>
/// <param name="Environment">The virtual environment.</param>
/// <param name="ApplicationBase">The application's folder, as <see cref="AppContext.BaseDirectory"/> reports it.</param>
/// <param name="EntryAssembly">The application's entry assembly, once loaded.</param>
/// <param name="CommandLineArgs">What <see cref="System.Environment.GetCommandLineArgs"/> reports: the entry
/// assembly's path, then the arguments.</param>
public sealed record SandboxSession(
    VirtualFileSystem FileSystem,
    VirtualRegistry Registry,
    VirtualEnvironment Environment,
    string ApplicationBase,
    Assembly? EntryAssembly,
    string[] CommandLineArgs)
{
    /// <summary>An absolute path for <paramref name="path"/>, relative paths taken from the virtual current folder.</summary>
    public string FullPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Path.GetFullPath(path, Environment.CurrentDirectory);
    }
}
