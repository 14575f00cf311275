namespace VirtualizationWorkbench.Grading;

/// <summary>Who sees a check's details, in Gradescope's terms.</summary>
public enum CheckVisibility
{
    /// <summary>Shown with its message and hint.</summary>
    Visible,
    /// <summary>Counted in the score; its message and hint are withheld from the student.</summary>
    Hidden,
    /// <summary>Shown once the due date has passed (Gradescope); the workbench treats it as hidden.</summary>
    AfterDueDate,
    /// <summary>Shown once grades are published (Gradescope); the workbench treats it as hidden.</summary>
    AfterPublished,
}

/// <summary>
/// One graded test of an exercise, as its author declared it: the NUnit test's full name and its
/// <c>[Property("Points", n)]</c>, <c>[Property("Hint", "…")]</c> and <c>[Property("Visibility", "…")]</c>.
/// A test without points is worth one.
/// </summary>
public sealed record GradingCheck(string FullName, string Name, double Points, string? Hint, CheckVisibility Visibility)
{
    /// <summary>The property names the grading tests use.</summary>
    public const string PointsProperty = "Points", HintProperty = "Hint", VisibilityProperty = "Visibility";

    /// <summary>Whether the student sees the message and hint.</summary>
    public bool ShownToStudent => Visibility == CheckVisibility.Visible;

    /// <summary>Gradescope's spelling of <see cref="Visibility"/>.</summary>
    public string GradescopeVisibility => Visibility switch
    {
        CheckVisibility.Hidden => "hidden",
        CheckVisibility.AfterDueDate => "after_due_date",
        CheckVisibility.AfterPublished => "after_published",
        _ => "visible",
    };

    /// <summary>Reads a visibility property; <paramref name="where"/> names the test for the error.</summary>
    public static CheckVisibility ParseVisibility(string? value, string where) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "visible" => CheckVisibility.Visible,
        "hidden" => CheckVisibility.Hidden,
        "after_due_date" => CheckVisibility.AfterDueDate,
        "after_published" => CheckVisibility.AfterPublished,
        _ => throw new GradingError($"{where}: Visibility '{value}' is not one of visible, hidden, after_due_date, after_published"),
    };
}
