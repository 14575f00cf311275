using Microsoft.Win32;
using VirtualizationWorkbench.Sandbox.Registry;
using VirtualizationWorkbench.Sandbox.Runtime;

// The registry enums are marked Windows-only because the real registry is; here they are plain numbers, and
// this class is what makes them mean something on every platform.
#pragma warning disable CA1416

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for <see cref="Microsoft.Win32.Registry"/>: its root-key fields and its path-based
/// <c>GetValue</c>/<c>SetValue</c>.</summary>
[RedirectsCallsTo(typeof(Microsoft.Win32.Registry))]
public static class RegistryRedirects
{
    public static SandboxRegistryKey get_CurrentUser() => SandboxRegistryKey.OpenBaseKey(RegistryHive.CurrentUser, RegistryView.Default);

    public static SandboxRegistryKey get_LocalMachine() => SandboxRegistryKey.OpenBaseKey(RegistryHive.LocalMachine, RegistryView.Default);

    public static SandboxRegistryKey get_ClassesRoot() => SandboxRegistryKey.OpenBaseKey(RegistryHive.ClassesRoot, RegistryView.Default);

    public static SandboxRegistryKey get_Users() => SandboxRegistryKey.OpenBaseKey(RegistryHive.Users, RegistryView.Default);

    public static SandboxRegistryKey get_CurrentConfig() => SandboxRegistryKey.OpenBaseKey(RegistryHive.CurrentConfig, RegistryView.Default);

    public static object? GetValue(string keyName, string? valueName, object? defaultValue)
    {
        var registry = SandboxRuntime.Current.Registry;
        var path = RegistryKeyPath.Normalize(keyName);
        if (!registry.KeyExists(path))
        {
            return null;
        }
        var value = registry.GetValue(path, valueName ?? "");
        return value is null ? defaultValue : SandboxRegistryKey.ToObject(value, expand: true);
    }

    public static void SetValue(string keyName, string? valueName, object value) => SetValue(keyName, valueName, value, RegistryValueKind.Unknown);

    public static void SetValue(string keyName, string? valueName, object value, RegistryValueKind valueKind) =>
        SandboxRuntime.Current.Registry.SetValue(RegistryKeyPath.Normalize(keyName), valueName ?? "", SandboxRegistryKey.FromObject(value, valueKind));
}
