using System.Globalization;
using System.Text.Json;
using Jint;
using Jint.Runtime;

namespace VirtualizationWorkbench.Labs;

/// <summary>
/// An instructor's answer file for <c>workbench lab check --answers FILE</c>: a JSON object from question id to
/// answer. An answer that starts with <c>=</c> is a formula over the question's generated parameters, e.g.
/// <c>"={ksp} - 16"</c>, so one file answers for every student's seed.
/// </summary>
public static class AnswerSheet
{
    /// <summary>Reads the file and works out each answer for <paramref name="seed"/>.</summary>
    public static Dictionary<string, string> Load(string path, LabDocument lab, int seed)
    {
        Dictionary<string, string>? raw;
        try
        {
            raw = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new LabError($"{path}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: {e.Message}; expected {{\"question-id\": \"answer\", …}}");
        }
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, value) in raw ?? [])
        {
            var question = lab.FindQuestion(id) ?? throw new LabError($"{path}: lab {lab.Id} has no question '{id}'");
            if (!value.StartsWith('=')) { answers[id] = value; continue; }
            var formula = QuestionParameters.Prompt(seed, lab.Id, question with { Prompt = value[1..] });
            try
            {
                // An arithmetic expression: a bare engine (no .NET, no host objects), a few statements and a second.
                var engine = new Engine(o => o.MaxStatements(1000).TimeoutInterval(TimeSpan.FromSeconds(1)).LimitRecursion(64).LimitMemory(16_000_000)
                    .DisableStringCompilation().RegexTimeoutInterval(TimeSpan.FromSeconds(1)));
                var result = engine.Evaluate($"({formula})").AsNumber();
                answers[id] = result.ToString(CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is JintException or ArgumentException or InvalidOperationException or TimeoutException)
            {
                throw new LabError($"{path}: the formula for '{id}' ({value}) does not evaluate: {e.Message}");
            }
        }
        return answers;
    }
}
