using System.Collections;
using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for <see cref="Environment"/>'s variables, special folders, current folder and command line.</summary>
[RedirectsCallsTo(typeof(Environment))]
public static class EnvironmentRedirects
{
    private static VirtualEnvironment Virtual => SandboxRuntime.Current.Environment;

    public static string GetFolderPath(Environment.SpecialFolder folder) => Virtual.GetFolderPath(folder);

    public static string GetFolderPath(Environment.SpecialFolder folder, Environment.SpecialFolderOption option)
    {
        var path = Virtual.GetFolderPath(folder);
        if (option == Environment.SpecialFolderOption.Create && path.Length > 0)
        {
            DirectoryRedirects.CreateDirectory(path);
        }
        return option == Environment.SpecialFolderOption.None && path.Length > 0 && !DirectoryRedirects.Exists(path) ? "" : path;
    }

    public static string? GetEnvironmentVariable(string variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return Virtual.GetVariable(variable);
    }

    public static string? GetEnvironmentVariable(string variable, EnvironmentVariableTarget target) => GetEnvironmentVariable(variable);

    public static void SetEnvironmentVariable(string variable, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(variable);
        Virtual.SetVariable(variable, string.IsNullOrEmpty(value) ? null : value);
    }

    public static void SetEnvironmentVariable(string variable, string? value, EnvironmentVariableTarget target) => SetEnvironmentVariable(variable, value);

    public static IDictionary GetEnvironmentVariables() => Virtual.Variables();

    public static string ExpandEnvironmentVariables(string name) => Virtual.Expand(name);

    public static string get_CurrentDirectory() => DirectoryRedirects.GetCurrentDirectory();

    public static void set_CurrentDirectory(string value) => DirectoryRedirects.SetCurrentDirectory(value);

    public static string[] GetCommandLineArgs() => [.. SandboxRuntime.Current.CommandLineArgs];
}
