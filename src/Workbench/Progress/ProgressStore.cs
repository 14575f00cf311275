using System.Security.Cryptography;
using System.Text.Json;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Cli.Progress;

/// <summary>
/// Keeps <see cref="UserProgress"/> in <c>progress.json</c> in the user's data folder (or
/// <c>$WORKBENCH_HOME</c>). Writes are atomic (<see cref="AtomicFile"/>: a temporary file renamed over the old
/// one), so a kill mid-write leaves the old file or the new one, never half of one. A file that cannot be read is kept
/// aside under a new name with a warning, never silently wiped.
/// </summary>
public sealed class ProgressStore(string folder)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

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

    /// <summary>Reads the progress; a missing file is a fresh start, an unreadable one is moved aside and
    /// reported on <paramref name="warnings"/>.</summary>
    public UserProgress Load(TextWriter warnings)
    {
        if (File.Exists(FilePath))
        {
            try
            {
                var progress = JsonSerializer.Deserialize<UserProgress>(File.ReadAllText(FilePath), Json);
                if (progress is not null && progress.Seed != 0) return progress;
                throw new JsonException("the file holds no progress");
            }
            catch (JsonException e)
            {
                var aside = FilePath + $".corrupt-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
                File.Move(FilePath, aside, overwrite: true);
                warnings.WriteLine($"warning: {FilePath} could not be read ({e.Message}); it was kept as {aside} and progress starts afresh");
            }
        }
        return new UserProgress { Seed = NewSeed() };
    }

    /// <summary>Writes the progress atomically.</summary>
    public void Save(UserProgress progress)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.Write(FilePath, stream => JsonSerializer.Serialize(stream, progress, Json));
    }

    /// <summary>Starts afresh, keeping the old file as progress.json.bak. Returns the backup's path, if any.</summary>
    public string? Reset()
    {
        if (!File.Exists(FilePath)) return null;
        var backup = FilePath + ".bak";
        File.Move(FilePath, backup, overwrite: true);
        return backup;
    }

    private static int NewSeed() => RandomNumberGenerator.GetInt32(1, int.MaxValue);
}
