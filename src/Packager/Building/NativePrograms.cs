namespace VirtualizationWorkbench.Packager.Building;

/// <summary>Recognizes Linux programs a package can start as entry points: ELF executables (native tools,
/// NativeAOT and single-file .NET tools) and scripts with a <c>#!</c> line, marked executable.</summary>
public static class NativePrograms
{
    /// <summary>What kind of program the file at <paramref name="path"/> is ("an ELF executable", "a script run by
    /// /bin/sh"), or null when it is neither.</summary>
    public static string? Describe(string path)
    {
        Span<byte> head = stackalloc byte[128];
        int read;
        try
        {
            using var file = File.OpenRead(path);
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        head = head[..read];
        if (head is [0x7F, (byte)'E', (byte)'L', (byte)'F', ..] && head.Length >= 18)
        {
            // e_type at 16, in the file's byte order (EI_DATA at 5: 1 little-endian): executables (2) and
            // position-independent ones (3, which shared libraries also are: Find leaves those out by name).
            var type = head[5] == 1 ? head[16] | head[17] << 8 : head[17] | head[16] << 8;
            return type is 2 or 3 ? "an ELF executable" : null;
        }
        if (head is [(byte)'#', (byte)'!', ..])
        {
            var line = System.Text.Encoding.UTF8.GetString(head[2..]).Split('\n')[0].Trim();
            return line.Length == 0 ? null : $"a script run by {line}";
        }
        return null;
    }

    /// <summary>Whether the file can be run as a program: a Linux program (<see cref="Describe"/>) with its
    /// owner's execute permission.</summary>
    public static bool IsProgram(string path) =>
        Describe(path) is not null && (OperatingSystem.IsWindows() || File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute));

    /// <summary>Whether the file is marked executable for its owner (never on Windows).</summary>
    public static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute);

    /// <summary>The programs at the top level of <paramref name="folder"/>, relative to it, in name order: neither
    /// shared libraries (<c>*.so</c>, <c>*.so.N</c>) nor separated debug symbols (<c>*.dbg</c>, <c>*.debug</c>),
    /// which are ELF files too.</summary>
    public static IReadOnlyList<string> Find(string folder) =>
        [.. Directory.EnumerateFiles(folder)
            .Where(path => new FileInfo(path).LinkTarget is null && !IsLibraryOrSymbols(Path.GetFileName(path)) && IsProgram(path))
            .Select(path => Path.GetFileName(path))
            .Order(StringComparer.Ordinal)];

    private static bool IsLibraryOrSymbols(string name) =>
        name.EndsWith(".dbg", StringComparison.Ordinal) || name.EndsWith(".debug", StringComparison.Ordinal)
        || name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal);
}
