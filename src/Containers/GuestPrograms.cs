using System.Collections.Concurrent;
using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Containers;

/// <summary>
/// The programs of labs/guests/containers, built into this assembly and assembled on first use: the base image's
/// /bin. Each starts at <see cref="Memory.UserLayout.CodeBase"/> and uses the system calls of lib.s.
/// </summary>
public static class GuestPrograms
{
    private static readonly ConcurrentDictionary<string, ProgramImage> Built = new(StringComparer.Ordinal);

    /// <summary>The program names (file names without .s; lib.s is included by the others, not a program).</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["cat", "crash", "escape", "forkbomb", "hostname", "kernelbug", "kill", "memhog", "msgrcv", "msgsnd", "ps", "send", "service", "spin", "write"];

    /// <summary>The source of <paramref name="file"/> (e.g. <c>service.s</c>), or null.</summary>
    public static string? Source(string file)
    {
        using var stream = typeof(GuestPrograms).Assembly.GetManifestResourceStream("guests/" + Path.GetFileName(file));
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The assembled program <paramref name="name"/>.</summary>
    public static ProgramImage Get(string name) => Built.GetOrAdd(name, n =>
        Assembler.AssembleText(Source(n + ".s") ?? throw new ArgumentException($"no guest program '{n}'", nameof(name)),
            $"guests/{n}.s", new AssemblerOptions { ReadFile = Source }));
}
