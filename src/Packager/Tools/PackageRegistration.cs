using VirtualizationWorkbench.Packager.Building;
using VirtualizationWorkbench.Packager.Settings;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Packager.Tools;

/// <summary>ThinApp's <c>thinreg</c> for a Linux desktop: <c>app install</c> puts a command on the user's PATH for
/// each entry point of a package (a small shell script that runs it with <c>workbench app run</c>) and, for
/// windowed applications, a desktop entry (the freedesktop.org <c>.desktop</c> file menus and launchers read);
/// <c>app remove</c> takes them away again. Every file written carries a mark naming the package by its full path,
/// and neither operation ever replaces or deletes a file without that mark.</summary>
public static class PackageRegistration
{
    /// <summary>The key that marks a desktop entry as installed for a package (a freedesktop.org extension key).</summary>
    public const string DesktopMarkKey = "X-Virtualization-Workbench-Package";

    /// <summary>The default folder for commands: <c>~/.local/bin</c>.</summary>
    public static string DefaultCommandFolder() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "bin");

    /// <summary>The default folder for desktop entries: <c>$XDG_DATA_HOME/applications</c>, or
    /// <c>~/.local/share/applications</c>.</summary>
    public static string DefaultApplicationsFolder() =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } data && Path.IsPathRooted(data)
            ? data
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"), "applications");

    /// <summary>Installs the commands (into <paramref name="commandFolder"/>) and the desktop entries (into
    /// <paramref name="applicationsFolder"/>, for windowed entry points, or for all with
    /// <paramref name="desktopForAll"/>) of the package at <paramref name="packagePath"/> (a full path) whose
    /// settings are <paramref name="settings"/>. All or nothing: every file is checked before any is written.</summary>
    /// <returns>The files written.</returns>
    /// <exception cref="PackagerException">A name or path cannot be written safely, or a file that is not this
    /// package's is in the way.</exception>
    public static IReadOnlyList<string> Install(string packagePath, PackageSettings settings, string commandFolder, string applicationsFolder, bool desktopForAll)
    {
        if (packagePath.Any(char.IsControl))
        {
            throw new PackagerException("app install: the package's path holds a control character (a line break, say), which a command file cannot carry safely; move or rename the package.");
        }
        var mark = CommandMark(packagePath);
        var planned = new List<(string Path, string Text, bool Executable)>();
        foreach (var point in settings.EntryPoints)
        {
            if (point.Name.Length == 0 || point.Name[0] == '.' || !point.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                throw new PackagerException($"app install: the entry point '{point.Name}' is not a plain command name (letters, digits, '-', '_', '.'); run it with `workbench app run {packagePath} --entry …`.");
            }
            var command = Path.Combine(commandFolder, point.Name);
            if (File.Exists(command) && !IsCommandFor(command, mark))
            {
                throw new PackagerException($"app install: {command} exists and is not this package's command; nothing was installed. Remove it, or give --bin DIR.");
            }
            planned.Add((command, $"#!/bin/sh\n{mark} (entry {point.Name}); `workbench app remove {ShellWord(packagePath)}` removes it\nexec workbench app run {ShellWord(packagePath)} --entry {ShellWord(point.Name)} -- \"$@\"\n", true));
            if (point.Windowed || desktopForAll)
            {
                var entry = Path.Combine(applicationsFolder, DesktopFileName(settings.Name, point.Name));
                if (File.Exists(entry) && !IsDesktopEntryFor(entry, packagePath))
                {
                    throw new PackagerException($"app install: {entry} exists and is not this package's desktop entry; nothing was installed. Remove it, or give --applications DIR.");
                }
                planned.Add((entry, DesktopEntry(packagePath, settings.Name, point), false));
            }
        }
        foreach (var (path, text, executable) in planned)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.WriteAllText(path, text);
            if (executable && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }
        return [.. planned.Select(file => file.Path)];
    }

    /// <summary>Removes the commands in <paramref name="commandFolder"/> and the desktop entries in
    /// <paramref name="applicationsFolder"/> installed for the package at <paramref name="packagePath"/> (a full
    /// path), and nothing else.</summary>
    /// <returns>The files removed.</returns>
    public static IReadOnlyList<string> Remove(string packagePath, string commandFolder, string applicationsFolder)
    {
        var removed = new List<string>();
        var mark = CommandMark(packagePath);
        RemoveWhere(commandFolder, "*", path => IsCommandFor(path, mark), removed);
        RemoveWhere(applicationsFolder, "*.desktop", path => IsDesktopEntryFor(path, packagePath), removed);
        return removed;
    }

    /// <summary>The desktop entry of one entry point: it starts the package with <c>workbench app run</c>, passing
    /// the files it is opened with.</summary>
    public static string DesktopEntry(string packagePath, string packageName, EntryPoint point)
    {
        // The Exec key's own quoting (inside double quotes, '"', '`', '$' and '\' need escapes, which the string
        // escapes then double) is avoided rather than done: such paths are refused, with what to do.
        if (packagePath.IndexOfAny(['"', '`', '$', '\\', '%']) >= 0)
        {
            throw new PackagerException($"app install: the package's path '{packagePath}' holds one of \" ` $ \\ %, which a desktop entry's command line cannot carry simply; move or rename the package.");
        }
        return $"""
            [Desktop Entry]
            Type=Application
            Version=1.0
            Name={point.Name}
            Comment={packageName}, packaged with the Virtualization Workbench
            TryExec=workbench
            Exec=workbench app run "{packagePath}" --entry "{point.Name}" -- %F
            Terminal={(point.Windowed ? "false" : "true")}
            Categories=Utility;
            {DesktopMarkKey}={packagePath}

            """.ReplaceLineEndings("\n");
    }

    private static string DesktopFileName(string packageName, string entryName) => $"vwb-{packageName}-{entryName}.desktop";

    // The line that marks a command as app install's, for this package: app remove deletes only files that carry it.
    private static string CommandMark(string packagePath) => $"# installed by `workbench app install` for {packagePath}";

    private static bool IsCommandFor(string path, string mark) =>
        new FileInfo(path).Length < 4096 && File.ReadLines(path).Take(3).Any(line => line.StartsWith(mark + " (entry ", StringComparison.Ordinal));

    private static bool IsDesktopEntryFor(string path, string packagePath) =>
        new FileInfo(path).Length < 4096 && File.ReadLines(path).Any(line => line == $"{DesktopMarkKey}={packagePath}");

    private static void RemoveWhere(string folder, string pattern, Func<string, bool> ours, List<string> removed)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }
        foreach (var path in Directory.EnumerateFiles(folder, pattern))
        {
            try
            {
                if (!ours(path))
                {
                    continue;
                }
                File.Delete(path);
                removed.Add(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable or vanished: not one of ours to remove.
            }
        }
    }

    // A word for sh, in single quotes (a quote inside closes, escapes and reopens them).
    private static string ShellWord(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
