namespace VirtualizationWorkbench.Cli.Progress;

/// <summary>A student's progress over all labs, as stored in progress.json.</summary>
public sealed class UserProgress
{
    /// <summary>Format version.</summary>
    public int Version { get; set; } = 1;

    /// <summary>This student's seed: generated questions draw their numbers from it, so each student gets
    /// different ones and keeps them.</summary>
    public int Seed { get; set; }

    /// <summary>The lab worked on last ("continue where you left off").</summary>
    public string? LastLab { get; set; }

    /// <summary>Per lab, by id.</summary>
    public Dictionary<string, LabProgress> Labs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The entry for a lab, created if missing.</summary>
    public LabProgress For(string labId)
    {
        if (!Labs.TryGetValue(labId, out var lab))
        {
            lab = new LabProgress();
            Labs[labId] = lab;
        }
        return lab;
    }
}

/// <summary>Progress in one lab.</summary>
public sealed class LabProgress
{
    /// <summary>Steps whose checks passed.</summary>
    public SortedSet<int> StepsDone { get; set; } = [];

    /// <summary>The student's answers, by question id.</summary>
    public Dictionary<string, string> Answers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Where the student's own files for this lab are (set by <c>workbench lab start</c>).</summary>
    public string? WorkDirectory { get; set; }

    /// <summary>The step worked on last.</summary>
    public int? LastStep { get; set; }

    /// <summary>Exercise grades, by exercise name.</summary>
    public Dictionary<string, ExerciseScore> Exercises { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The last grade of an exercise.</summary>
public sealed record ExerciseScore(double Score, double MaxScore, DateTimeOffset GradedAt);
