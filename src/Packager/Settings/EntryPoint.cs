namespace VirtualizationWorkbench.Packager.Settings;

/// <summary>A program the package can start: a name the user types, and the assembly it runs.</summary>
/// <param name="Name">The entry point's name (its section in Package.ini).</param>
/// <param name="Source">The entry assembly's key in the package, e.g. <c>%ProgramFilesDir%/App/App.dll</c>.</param>
/// <param name="InvariantGlobalization">Whether the application was built for invariant globalization (its
/// <c>runtimeconfig.json</c> says so): <c>app run</c> then gives it no culture but the invariant one.</param>
public sealed record EntryPoint(string Name, string Source, bool InvariantGlobalization = false);
