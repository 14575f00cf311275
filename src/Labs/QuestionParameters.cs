using System.Text;
using System.Text.RegularExpressions;

namespace VirtualizationWorkbench.Labs;

/// <summary>
/// Per-student numbers for generated questions: drawn from the student's seed, the lab, the question and the
/// parameter's name with a stable hash (FNV-1a), so a student always sees the same numbers and two students
/// usually see different ones — as the OSTEP homework simulators do.
/// </summary>
public static partial class QuestionParameters
{
    /// <summary>The value of parameter <paramref name="name"/> of <paramref name="question"/> for a seed.</summary>
    public static long Value(int seed, string labId, LabQuestion question, string name)
    {
        if (!question.Parameters.TryGetValue(name, out var range))
        {
            throw new Scripting.ScriptFailure($"question '{question.Id}' has no parameter '{name}'");
        }
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes($"{seed}/{labId}/{question.Id}/{name}"))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        var span = (ulong)(range.Max - range.Min + 1);
        return range.Min + (long)(hash % span);
    }

    /// <summary>The prompt with <c>{name}</c> replaced by the student's values.</summary>
    public static string Prompt(int seed, string labId, LabQuestion question) =>
        Placeholder().Replace(question.Prompt, m => question.Parameters.ContainsKey(m.Groups[1].Value)
            ? Value(seed, labId, question, m.Groups[1].Value).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : m.Value);

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
