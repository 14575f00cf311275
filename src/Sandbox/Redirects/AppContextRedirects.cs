using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for <see cref="AppContext.BaseDirectory"/>: the application's own folder, not the launcher's.</summary>
[RedirectsCallsTo(typeof(AppContext))]
public static class AppContextRedirects
{
    public static string get_BaseDirectory() => SandboxRuntime.Current.ApplicationBase;
}

/// <summary>Stands in for <see cref="AppDomain.BaseDirectory"/>.</summary>
[RedirectsCallsTo(typeof(AppDomain))]
public static class AppDomainRedirects
{
    public static string get_BaseDirectory(AppDomain domain)
    {
        _ = domain;
        return SandboxRuntime.Current.ApplicationBase;
    }
}

/// <summary>Stands in for <see cref="System.Reflection.Assembly.GetEntryAssembly"/>: the application's entry
/// assembly, not the launcher's.</summary>
[RedirectsCallsTo(typeof(System.Reflection.Assembly))]
public static class AssemblyRedirects
{
    public static System.Reflection.Assembly? GetEntryAssembly() => SandboxRuntime.Current.EntryAssembly;
}
