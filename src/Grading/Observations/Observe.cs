using System.Runtime.CompilerServices;
using NUnit.Framework;
using NUnit.Framework.Constraints;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// What a grading test saw the student's code do. Write <c>Observe.That(actual, constraint)</c> where a plain
/// test would write <c>Assert.That</c>: the assertion still runs (so the student gets the same message, and
/// <c>dotnet test</c> works as before), and the value is recorded as an observation. When an instructor grades
/// (<c>grade-class</c>, Gradescope, <c>grade --judged</c>) the verdict does not come from the assertion, which ran
/// in the student's process and can be forged there, but from the trusted grader comparing the test's observations
/// with the reference solution's observations on the same inputs (see <see cref="ReferenceJudge"/>).
/// </summary>
/// <remarks>
/// What is recorded: for an equality (<c>Is.EqualTo</c>, without a tolerance) the value itself, in a canonical text
/// form; for any other constraint (<c>Is.Null</c>, <c>Does.Contain</c>, <c>Is.GreaterThan</c> …) only whether it
/// held, since a correct solution may differ from the reference in what such a constraint allows (the wording of a
/// message, say).
/// </remarks>
public static class Observe
{
    /// <summary>Records <paramref name="actual"/> as an observation of the running test, then asserts
    /// <paramref name="constraint"/> on it exactly as <c>Assert.That</c> does.</summary>
    public static void That<T>(
        T actual,
        IResolveConstraint constraint,
        string? message = null,
        [CallerArgumentExpression(nameof(actual))] string actualExpression = "",
        [CallerArgumentExpression(nameof(constraint))] string constraintExpression = "")
    {
        var resolved = constraint.Resolve();
        var exact = IsExactEquality(resolved);
        var value = exact ? ObservationText.Of(actual) : "held: " + ObservationText.Of(resolved.ApplyTo(actual).IsSuccess);
        ObservationLog.Record(actualExpression, value);
        Assert.That(actual, resolved, message ?? "", actualExpression, constraintExpression);
    }

    // NUnit 4 has a family of equality constraints (EqualConstraint, EqualNumericConstraint<T>,
    // EqualStringConstraint, …), not one base type. An equality the author loosened (a tolerance, ignoring case or
    // white space, a custom comparer) accepts more than one value, so only whether it held is observed.
    private static bool IsExactEquality(IConstraint constraint)
    {
        var name = constraint.GetType().Name;
        if (!name.StartsWith("Equal", StringComparison.Ordinal)) return false;
        if (name.Contains("Using", StringComparison.Ordinal) && !name.Contains("WithoutUsing", StringComparison.Ordinal)) return false;
        if (name.Contains("Tolerance", StringComparison.Ordinal)) return false;
        var description = constraint.Description;
        return !description.Contains("+/-", StringComparison.Ordinal) && !description.Contains("ignoring", StringComparison.Ordinal);
    }
}
