using System.Xml.Linq;
using VirtualizationWorkbench.Labs;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// A lab's graded exercise: <c>Exercise/</c> (what the student edits), <c>Grading/</c> (the NUnit tests) and
/// <c>Solution/</c> (the reference, absent from the student kit). Exercise and Solution build the assembly named
/// in <c>Exercise/*.csproj</c>; the grading tests reference it by that name.
/// </summary>
public sealed class GradedExercise
{
    private GradedExercise(LabDocument lab, string assemblyName)
    {
        Lab = lab;
        AssemblyName = assemblyName;
    }

    /// <summary>The lab.</summary>
    public LabDocument Lab { get; }

    /// <summary>The exercise's assembly name (also its name in the student's progress).</summary>
    public string AssemblyName { get; }

    /// <summary>The untouched exercise.</summary>
    public string ExerciseFolder => Path.Combine(Lab.Folder, "Exercise");

    /// <summary>The grading tests.</summary>
    public string GradingFolder => Path.Combine(Lab.Folder, "Grading");

    /// <summary>The reference solution (missing in a student kit).</summary>
    public string SolutionFolder => Path.Combine(Lab.Folder, "Solution");

    /// <summary>The graded exercise of <paramref name="lab"/>; a clear error if it has none.</summary>
    public static GradedExercise Of(LabDocument lab)
    {
        var exercise = Path.Combine(lab.Folder, "Exercise");
        var grading = Path.Combine(lab.Folder, "Grading");
        if (!Directory.Exists(exercise) || !Directory.Exists(grading))
        {
            throw new GradingError($"lab {lab.Id} has no graded exercise (expected {exercise} and {grading})");
        }
        var project = Directory.EnumerateFiles(exercise, "*.csproj").Order(StringComparer.Ordinal).FirstOrDefault()
            ?? throw new GradingError($"{exercise}: no .csproj; the exercise's project names the assembly the grading tests reference");
        string? name;
        try
        {
            name = XDocument.Load(project).Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault();
        }
        catch (System.Xml.XmlException e)
        {
            throw new GradingError($"{project}: not a readable project file ({e.Message})");
        }
        return new GradedExercise(lab, string.IsNullOrEmpty(name) ? Path.GetFileNameWithoutExtension(project) : name);
    }
}
