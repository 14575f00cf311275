namespace VirtualizationWorkbench.Labs;

/// <summary>How a question's answer is compared.</summary>
public enum QuestionKind
{
    /// <summary>A number, right within <see cref="LabQuestion.Tolerance"/>.</summary>
    Numeric,
    /// <summary>One of <see cref="LabQuestion.Choices"/>, by its letter (a, b, …) or its text.</summary>
    Choice,
    /// <summary>Free text, compared ignoring case and surrounding space.</summary>
    Text,
}

/// <summary>
/// A question in a lab step. Its answer is given in the lab (<see cref="Answer"/>) or computed by the step's
/// script with <c>solution(id, value)</c>. <see cref="Parameters"/> are per-student numbers drawn from the
/// student's seed, substituted for <c>{name}</c> in the prompt and readable by the script.
/// </summary>
public sealed record LabQuestion(
    string Id,
    QuestionKind Kind,
    string Prompt,
    IReadOnlyList<string> Choices,
    string? Answer,
    double Tolerance,
    IReadOnlyDictionary<string, (long Min, long Max)> Parameters,
    int Line);
