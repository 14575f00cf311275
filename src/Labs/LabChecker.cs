using System.Globalization;
using VirtualizationWorkbench.Labs.Scripting;

namespace VirtualizationWorkbench.Labs;

/// <summary>One check: what was checked and whether it held; for a question's mark, the question's id.</summary>
public sealed record CheckOutcome(string Message, bool Passed, string? Question = null);

/// <summary>A step's verdict: every check, and the script error if one stopped it.</summary>
public sealed record StepResult(int Step, string Title, IReadOnlyList<CheckOutcome> Checks, string? Error)
{
    /// <summary>Passed: no error, at least one check, and every check held.</summary>
    public bool Passed => Error is null && Checks.Count > 0 && Checks.All(c => c.Passed);
}

/// <summary>
/// Runs a step's scripts and marks its questions. Scripts of one step share one script engine (variables carry
/// from block to block); each step starts afresh. A question is right when the student's answer matches the
/// lab's answer, or the one the step's script computed with <c>solution(id, value)</c>.
/// </summary>
public sealed class LabChecker(LabDocument lab, StudentWork session, Func<ILabScriptHost>? hostFactory = null)
{
    private readonly Func<ILabScriptHost> hostFactory = hostFactory ?? (() => new JintScriptHost());

    /// <summary>Checks every step.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public IReadOnlyList<StepResult> CheckAll(CancellationToken cancellation = default) => [.. lab.Steps.Select(step => CheckStep(step, cancellation))];

    /// <summary>Checks one step.</summary>
    public StepResult CheckStep(LabStep step) => CheckStep(step, CancellationToken.None);

    /// <summary>Checks one step; <paramref name="cancellation"/> stops its scripts (a UI's Esc or Ctrl+C).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled: there is no
    /// verdict, as the scripts did not finish.</exception>
    public StepResult CheckStep(LabStep step, CancellationToken cancellation) => CheckStep(step, cancellation, null);

    /// <summary>Checks one step, telling <paramref name="made"/> of every lab object with a view its scripts
    /// make (see <see cref="LabScriptGlobals.Made"/>).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public StepResult CheckStep(LabStep step, CancellationToken cancellation, Action<object>? made)
    {
        var checks = new List<CheckOutcome>();
        var solutions = new Dictionary<string, string>(StringComparer.Ordinal);
        var host = hostFactory();
        host.Bind(new LabScriptGlobals(
            lab,
            session,
            Check: (ok, message) => checks.Add(new CheckOutcome(message, ok)),
            Expect: (actual, expected, message) => checks.Add(Same(actual, expected)
                ? new CheckOutcome(message, true)
                : new CheckOutcome($"{message}: expected {Show(expected)}, got {Show(actual)}", false)),
            Solution: (id, value) =>
            {
                if (step.Questions.All(q => q.Id != id)) throw new ScriptFailure($"solution('{id}', …): this step has no question '{id}'");
                solutions[id] = Show(value);
            },
            Log: _ => { },
            Made: made));
        string? error = null;
        try
        {
            foreach (var script in step.Scripts)
            {
                host.Execute(script, lab.Path, cancellation);
            }
        }
        catch (LabScriptException e)
        {
            error = e.Message;
        }
        if (error is null)
        {
            foreach (var question in step.Questions)
            {
                checks.Add(Mark(question, solutions.GetValueOrDefault(question.Id) ?? question.Answer));
            }
        }
        // Messages carry text from the lab, the student's answers and the guest: shown on a terminal, so escaped here,
        // the one place every verdict passes through.
        return new StepResult(step.Number, LabParser.Printable(step.Title),
            [.. checks.Select(c => c with { Message = LabParser.Printable(c.Message) })], error is null ? null : LabParser.Printable(error));
    }

    private CheckOutcome Mark(LabQuestion question, string? correct)
    {
        var prompt = QuestionParameters.Prompt(session.Seed, lab.Id, question);
        if (correct is null)
        {
            return new CheckOutcome($"question '{question.Id}': the lab gives no answer and no script computed one (a lab bug)", false, question.Id);
        }
        if (!session.Answers.TryGetValue(question.Id, out var given) || string.IsNullOrWhiteSpace(given))
        {
            return new CheckOutcome($"question '{question.Id}' not answered yet: {prompt} — answer with: workbench lab answer {lab.Id} {question.Id} VALUE", false, question.Id);
        }
        var right = question.Kind switch
        {
            QuestionKind.Numeric => double.TryParse(given.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var g)
                && double.TryParse(correct, NumberStyles.Float, CultureInfo.InvariantCulture, out var c)
                && Math.Abs(g - c) <= question.Tolerance + 1e-9,
            QuestionKind.Choice => ChoiceText(question, given) is { } chosen && string.Equals(chosen, ChoiceText(question, correct), StringComparison.OrdinalIgnoreCase),
            _ => string.Equals(given.Trim(), correct.Trim(), StringComparison.OrdinalIgnoreCase),
        };
        return new CheckOutcome(right ? $"question '{question.Id}': right" : $"question '{question.Id}': '{given}' is not right — {prompt}", right, question.Id);
    }

    /// <summary>A choice given as its letter (a, b, …) or its text, as the choice's text.</summary>
    private static string? ChoiceText(LabQuestion question, string answer)
    {
        var a = answer.Trim();
        if (a.Length == 1 && char.IsLetter(a[0]))
        {
            var index = char.ToLowerInvariant(a[0]) - 'a';
            return index >= 0 && index < question.Choices.Count ? question.Choices[index] : null;
        }
        return question.Choices.FirstOrDefault(c => string.Equals(c, a, StringComparison.OrdinalIgnoreCase));
    }

    private static bool Same(object? actual, object? expected)
    {
        if (actual is double a && expected is double e) return a == e;
        return string.Equals(Show(actual), Show(expected), StringComparison.Ordinal);
    }

    private static string Show(object? value) => value switch
    {
        null => "nothing",
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => ((long)d).ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        object?[] items => "[" + string.Join(", ", items.Select(Show)) + "]",
        _ => value.ToString() ?? "",
    };
}
