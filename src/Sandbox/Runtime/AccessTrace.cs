using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace VirtualizationWorkbench.Sandbox.Runtime;

/// <summary>
/// The log monitor (ThinApp's Log Monitor, <c>app run --trace FILE</c>): every file and registry access the
/// application makes through the sandbox, with the layer that served it (sandbox, package, host) or what refused it,
/// one tab-separated line each: milliseconds since the start, <c>file</c> or <c>registry</c>, the operation, the
/// outcome, the path (and, for a registry value, its name). A process the application starts is a <c>process</c>
/// line, with the command line and what isolates it (<see cref="ProcessIsolation"/>). Accesses by native code and
/// by those child processes do not go through the sandbox's redirection; under the kernel boundary the kernel
/// serves them, and they are not in it.
/// </summary>
public sealed class AccessTrace : IDisposable
{
    /// <summary>The variable that tells a workbench inside the kernel boundary where to write the trace.</summary>
    public const string Variable = "WORKBENCH_ACCESS_TRACE";

    private readonly StreamWriter writer;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Lock gate = new();
    private bool disposed;

    /// <summary>Starts a trace written to <paramref name="file"/> (replaced if it exists).</summary>
    public AccessTrace(string file)
    {
        writer = new StreamWriter(new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.Read), new UTF8Encoding(false), 1 << 16);
        // An application may end with Environment.Exit, which runs no finally block of the workbench's.
        AppDomain.CurrentDomain.ProcessExit += Flush;
    }

    /// <summary>Notes a file access.</summary>
    public void File(string operation, string outcome, string path) => Note("file", operation, outcome, path, null);

    /// <summary>What isolates the processes the application starts, the outcome of their <c>process</c> lines:
    /// "kernel boundary" inside it, "host" where the sandbox is advisory (they act on the host).</summary>
    public string ProcessIsolation { get; init; } = "host";

    /// <summary>Notes a process start.</summary>
    public void Process(string operation, string commandLine) => Note("process", operation, ProcessIsolation, commandLine, null);

    /// <summary>Notes a registry access.</summary>
    public void Registry(string operation, string outcome, string key, string? name = null) => Note("registry", operation, outcome, key, name);

    private void Note(string kind, string operation, string outcome, string path, string? name)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalMilliseconds:F1}\t{kind}\t{operation}\t{outcome}\t{Clean(path)}{(name is null ? "" : "\t" + Clean(name))}");
        lock (gate)
        {
            if (!disposed) writer.WriteLine(line);
        }
    }

    // A path or a value name may hold tabs or line breaks; the trace stays one line per access.
    private static string Clean(string text) => text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');

    private void Flush(object? sender, EventArgs e)
    {
        lock (gate)
        {
            if (!disposed) writer.Flush();
        }
    }

    /// <summary>Writes what is left and closes the file.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            writer.Dispose();
        }
        AppDomain.CurrentDomain.ProcessExit -= Flush;
    }

    /// <summary>A summary of a trace file: accesses by kind, operation and outcome, the paths read from the host
    /// most often, and the processes started.</summary>
    public static string Summarise(string file)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var hostReads = new Dictionary<string, int>(StringComparer.Ordinal);
        var started = new List<string>();
        var lines = 0;
        foreach (var line in System.IO.File.ReadLines(file))
        {
            var parts = line.Split('\t');
            if (parts.Length < 5) throw new InvalidDataException($"{file}:{lines + 1}: not a trace line (time, kind, operation, outcome, path); was it written by app run --trace?");
            lines++;
            var key = $"{parts[1],-9} {parts[2],-8} {parts[3]}";
            counts[key] = counts.GetValueOrDefault(key) + 1;
            if (parts[3] == "host" && parts[1] != "process") hostReads[parts[4]] = hostReads.GetValueOrDefault(parts[4]) + 1;
            if (parts[1] == "process") started.Add($"{parts[4]} ({parts[3]})");
        }
        var text = new StringBuilder($"{lines:N0} access(es)\n");
        foreach (var (key, count) in counts) text.Append(CultureInfo.InvariantCulture, $"  {count,8:N0}  {key}\n");
        if (hostReads.Count > 0)
        {
            text.Append("served by the host, most often:\n");
            foreach (var (path, count) in hostReads.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(10)) text.Append(CultureInfo.InvariantCulture, $"  {count,8:N0}  {path}\n");
        }
        if (started.Count > 0)
        {
            text.Append("processes started:\n");
            foreach (var command in started.Take(20)) text.Append(CultureInfo.InvariantCulture, $"  {command}\n");
            if (started.Count > 20) text.Append(CultureInfo.InvariantCulture, $"  … and {started.Count - 20:N0} more\n");
        }
        return text.ToString();
    }
}
