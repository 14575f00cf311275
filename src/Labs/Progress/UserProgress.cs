using System.Globalization;

namespace VirtualizationWorkbench.Labs.Progress;

/// <summary>A student's progress over all labs, as stored in progress.json.</summary>
public sealed class UserProgress
{
    /// <summary>Format version.</summary>
    public int Version { get; set; } = 2;

    /// <summary>This student's seed: generated questions draw their numbers from it, so each student gets
    /// different ones and keeps them.</summary>
    public int Seed { get; set; }

    /// <summary>The student's identity, when given (<c>lab start --id</c>); the seed is then derived from it (see
    /// <see cref="StudentIdentity"/>), so the instructor's grader can recompute the student's numbers.</summary>
    public string? StudentId { get; set; }

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

    /// <summary>The same progress with every missing part (a <c>null</c> in a hand-edited or older file) made
    /// empty, and version 1's hint counts (kept among the answers as <c>hints-N</c>) moved where they belong.</summary>
    internal UserProgress Normalized()
    {
        var labs = new Dictionary<string, LabProgress>(StringComparer.Ordinal);
        foreach (var (id, lab) in Labs ?? [])
        {
            if (id is not null) labs[id] = (lab ?? new LabProgress()).Normalized();
        }
        Labs = labs;
        Version = 2;
        // A hand-edited identity must still be one, and the seed always follows it.
        if (StudentId is not null && !StudentIdentity.IsValid(StudentId)) StudentId = null;
        if (StudentId is { } student) Seed = StudentIdentity.SeedOf(student);
        return this;
    }
}

/// <summary>Progress in one lab.</summary>
public sealed class LabProgress
{
    private const string OldHintKey = "hints-";

    /// <summary>Steps whose checks passed.</summary>
    public SortedSet<int> StepsDone { get; set; } = [];

    /// <summary>The student's answers, by question id.</summary>
    public Dictionary<string, string> Answers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many hints of each step the student has opened, by step number.</summary>
    public SortedDictionary<int, int> HintsSeen { get; set; } = [];

    /// <summary>Where the student's own files for this lab are (set by <c>workbench lab start</c>).</summary>
    public string? WorkDirectory { get; set; }

    /// <summary>The step worked on last.</summary>
    public int? LastStep { get; set; }

    /// <summary>Exercise grades, by exercise name.</summary>
    public Dictionary<string, ExerciseScore> Exercises { get; set; } = new(StringComparer.Ordinal);

    internal LabProgress Normalized()
    {
        StepsDone ??= [];
        HintsSeen ??= [];
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Answers ?? [])
        {
            if (key is null || value is null) continue;
            if (key.StartsWith(OldHintKey, StringComparison.Ordinal)
                && int.TryParse(key[OldHintKey.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var step)
                && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seen))
            {
                HintsSeen[step] = Math.Max(seen, HintsSeen.GetValueOrDefault(step));
                continue;
            }
            answers[key] = value;
        }
        Answers = answers;
        var exercises = new Dictionary<string, ExerciseScore>(StringComparer.Ordinal);
        foreach (var (name, score) in Exercises ?? [])
        {
            if (name is not null && score is not null) exercises[name] = score;
        }
        Exercises = exercises;
        return this;
    }
}

/// <summary>The last grade of an exercise.</summary>
public sealed record ExerciseScore(double Score, double MaxScore, DateTimeOffset GradedAt)
{
    /// <summary>Whether the grade is full marks.</summary>
    public bool FullMarks => MaxScore > 0 && Score >= MaxScore;
}
