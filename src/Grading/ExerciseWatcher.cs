namespace VirtualizationWorkbench.Grading;

/// <summary>
/// Waits for the student to save a change to an exercise's C# files. File-change events wake it at once where
/// the filesystem sends them; a poll of the files' names, sizes and times (every <see cref="PollInterval"/>)
/// catches changes where it does not (network and container mounts, some editors' save strategies).
/// </summary>
public sealed class ExerciseWatcher : IDisposable
{
    private readonly string folder;
    private readonly FileSystemWatcher? watcher;
    private readonly SemaphoreSlim changed = new(0);
    private string fingerprint;

    /// <summary>Watches <paramref name="folder"/>; with <paramref name="pollOnly"/> no change events are used.</summary>
    public ExerciseWatcher(string folder, bool pollOnly)
    {
        this.folder = folder;
        fingerprint = Fingerprint();
        if (pollOnly) return;
        try
        {
            watcher = new FileSystemWatcher(folder, "*.cs") { IncludeSubdirectories = true, EnableRaisingEvents = true };
            watcher.Changed += (_, _) => changed.Release();
            watcher.Created += (_, _) => changed.Release();
            watcher.Deleted += (_, _) => changed.Release();
            watcher.Renamed += (_, _) => changed.Release();
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or ArgumentException)
        {
            watcher = null; // polling alone, as on a filesystem without change events
        }
    }

    /// <summary>How often the files are compared when no event comes.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether change events are in use (else polling alone).</summary>
    public bool UsesEvents => watcher is not null;

    /// <summary>Returns once the files differ from the last time; false if cancelled.</summary>
    public bool WaitForChange(CancellationToken cancel)
    {
        try
        {
            while (true)
            {
                changed.Wait(PollInterval, cancel);
                // Editors save in bursts (write, rename, touch): let the burst end before grading.
                Thread.Sleep(200);
                while (changed.CurrentCount > 0) changed.Wait(0, cancel);
                var now = Fingerprint();
                if (now != fingerprint)
                {
                    fingerprint = now;
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private string Fingerprint() => string.Join('|', CSharpSources.In(folder).Select(f =>
    {
        var info = new FileInfo(f);
        return info.Exists ? $"{f}:{info.Length}:{info.LastWriteTimeUtc.Ticks}" : f;
    }));

    /// <inheritdoc/>
    public void Dispose()
    {
        watcher?.Dispose();
        changed.Dispose();
    }
}
