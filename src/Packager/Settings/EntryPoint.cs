namespace VirtualizationWorkbench.Packager.Settings;

/// <summary>A program the package can start: a name the user types, and the file it runs.</summary>
/// <param name="Name">The entry point's name (its section in Package.ini).</param>
/// <param name="Source">The entry file's key in the package, e.g. <c>%ProgramFilesDir%/App/App.dll</c>.</param>
/// <param name="InvariantGlobalization">Whether the application was built for invariant globalization (its
/// <c>runtimeconfig.json</c> says so): <c>app run</c> then gives it no culture but the invariant one.</param>
/// <param name="Native">Whether the entry is a Linux program (an ELF executable, a NativeAOT or single-file .NET
/// tool, a script) rather than a .NET assembly: it runs as its own process, isolated by the kernel boundary
/// alone, without the virtual registry (<c>Kind=native</c> in Package.ini).</param>
/// <param name="Windowed">Whether the application opens windows rather than using a terminal (a .NET assembly built
/// as <c>WinExe</c>): <c>app install</c> gives it a desktop entry (<c>Windowed=true</c> in Package.ini).</param>
public sealed record EntryPoint(string Name, string Source, bool InvariantGlobalization = false, bool Native = false, bool Windowed = false);
