using System.Reflection;
using System.Runtime.Loader;
using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Packager.Running;

/// <summary>Loads a packaged application's assemblies from its extracted folder, by its own deps.json, apart
/// from the workbench's. Only the Sandbox runtime is shared, so that the rewritten calls reach the session the
/// launcher activated.</summary>
internal sealed class ApplicationLoadContext(string entryAssemblyPath) : AssemblyLoadContext($"package:{Path.GetFileName(entryAssemblyPath)}")
{
    private static readonly string SandboxName = typeof(SandboxRuntime).Assembly.GetName().Name!;
    private readonly AssemblyDependencyResolver _resolver = new(entryAssemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name == SandboxName)
        {
            return null;
        }
        return _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
}
