using System.Security.Cryptography;
using System.Text.Json;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Labs.Progress;

/// <summary>
/// Keeps <see cref="UserProgress"/> in <c>progress.json</c> in the user's data folder (or
/// <c>$WORKBENCH_HOME</c>). Every change is read-modify-write under an exclusive lock on <c>.progress.json.lock</c>,
/// so two commands at once (a student's shell and the terminal UI, or a script answering nine questions in
/// parallel) never lose each other's updates. Writes are atomic (<see cref="AtomicFile"/>: a temporary file renamed
/// over the old one), so a kill mid-write leaves the old file or the new one, never half of one; the temporary file a
/// killed writer leaves is removed by the next writer. A file that cannot be read is kept aside under a new name with
/// a warning, never silently wiped.
/// </summary>
public sealed class ProgressStore(string folder)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>How long a change waits for another process holding the lock before it gives up.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The store in the default folder.</summary>
    public static ProgressStore Default => new(DataFolder);

    /// <summary>The workbench's folder for user data: <c>$WORKBENCH_HOME</c>, else
    /// <c>virtualization-workbench</c> in the platform's local application-data folder.</summary>
    public static string DataFolder =>
        Environment.GetEnvironmentVariable("WORKBENCH_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "virtualization-workbench");

    /// <summary>The progress file.</summary>
    public string FilePath => Path.Combine(folder, "progress.json");

    // Hidden, beside the file it guards, and never removed: removing it could let two writers lock different files.
    private string LockPath => Path.Combine(folder, ".progress.json.lock");

    /// <summary>Reads the progress; a missing file is a fresh start, an unreadable one is moved aside and
    /// reported on <paramref name="warnings"/>. A fresh start is not written until something changes.</summary>
    public UserProgress Load(TextWriter warnings)
    {
        if (!File.Exists(FilePath)) return new UserProgress { Seed = NewSeed() };
        using (Lock())
        {
            return Read(warnings);
        }
    }

    /// <summary>Applies <paramref name="change"/> to the progress as it is on disk now and writes the result, all
    /// under the lock; returns the progress written.</summary>
    public UserProgress Update(Action<UserProgress> change, TextWriter warnings)
    {
        Directory.CreateDirectory(folder);
        using (Lock())
        {
            var progress = Read(warnings);
            change(progress);
            RemoveLeftovers();
            AtomicFile.Write(FilePath, stream =>
            {
                JsonSerializer.Serialize(stream, progress, Json);
                PauseForTests(stream);
            });
            return progress;
        }
    }

    /// <summary>Starts afresh, keeping the old file as progress.json.bak. Returns the backup's path, if any.</summary>
    public string? Reset()
    {
        if (!File.Exists(FilePath)) return null;
        using (Lock())
        {
            var backup = FilePath + ".bak";
            File.Move(FilePath, backup, overwrite: true);
            return backup;
        }
    }

    private UserProgress Read(TextWriter warnings)
    {
        if (!File.Exists(FilePath)) return new UserProgress { Seed = NewSeed() };
        try
        {
            var progress = JsonSerializer.Deserialize<UserProgress>(File.ReadAllText(FilePath), Json);
            if (progress is null || progress.Seed == 0) throw new JsonException("the file holds no progress (no seed)");
            return progress.Normalized();
        }
        catch (JsonException e)
        {
            var aside = FilePath + $".corrupt-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
            File.Move(FilePath, aside, overwrite: true);
            warnings.WriteLine($"warning: {FilePath} could not be read ({e.Message}); it was kept as {aside} and progress starts afresh");
            return new UserProgress { Seed = NewSeed() };
        }
    }

    // Under the lock no other writer is between its temporary file and the rename, so any temporary file of
    // progress.json still here was left by a writer that was killed.
    private void RemoveLeftovers()
    {
        foreach (var file in Directory.EnumerateFiles(folder, ".~progress.json.*"))
        {
            if (AtomicFile.IsTemporaryName(Path.GetFileName(file))) File.Delete(file);
        }
    }

    /// <summary>An exclusive lock between processes: .NET opens with <see cref="FileShare.None"/> as an advisory
    /// whole-file lock, so a second opener fails until the first closes (or dies: the kernel drops the lock).</summary>
    private FileStream Lock()
    {
        Directory.CreateDirectory(folder);
        var deadline = DateTime.UtcNow + LockTimeout;
        var wait = 1;
        while (true)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(wait);
                wait = Math.Min(wait * 2, 50);
            }
            catch (IOException e)
            {
                throw new LabError($"{FilePath}: another workbench has held the progress file for {LockTimeout.TotalSeconds:0} s ({e.Message}); close it or delete {LockPath} and try again");
            }
        }
    }

    /// <summary>Fault injection for the test that kills a writer mid-write: with
    /// <c>WORKBENCH_TEST_PAUSE_PROGRESS_WRITE=MS</c>, a write waits that long with its temporary file written and not yet
    /// renamed, so the test can kill it exactly there. Unset (always, outside that test), it costs one lookup.</summary>
    private static void PauseForTests(Stream written)
    {
        if (Environment.GetEnvironmentVariable("WORKBENCH_TEST_PAUSE_PROGRESS_WRITE") is { Length: > 0 } text
            && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0)
        {
            written.Flush();
            Thread.Sleep(Math.Min(milliseconds, 60_000));
        }
    }

    private static int NewSeed() => RandomNumberGenerator.GetInt32(1, int.MaxValue);
}
