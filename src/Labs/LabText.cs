using System.Text;
using System.Text.RegularExpressions;
using Markdig.Syntax;
using VirtualizationWorkbench.Labs.Markdown;

namespace VirtualizationWorkbench.Labs;

/// <summary>
/// A lab as plain terminal text, for <c>workbench lab show</c>: the prose as written, the assembly blocks, each
/// question with the student's own numbers and the command to answer it; scripts (which hold the answers) and
/// hints (which the student asks for) are left out.
/// </summary>
public static partial class LabText
{
    /// <summary>The whole lab, or one step.</summary>
    public static string Render(LabDocument lab, int seed, int? onlyStep = null)
    {
        var text = new StringBuilder();
        if (onlyStep is null)
        {
            text.AppendLine($"{lab.Title}  [{lab.Id}, about {lab.Minutes} minutes]");
            if (lab.Lessons.Count > 0) text.AppendLine($"lessons: {string.Join(", ", lab.Lessons.Select(l => $"curriculum/{l}.md"))}");
            text.AppendLine();
            text.AppendLine(StripTitle(lab.Introduction));
        }
        foreach (var step in lab.Steps.Where(s => onlyStep is null || s.Number == onlyStep))
        {
            var body = WithoutHiddenBlocks(step.Markdown);
            body = body.Replace("## " + step.Title, $"Step {step.Number}: {step.Title}\n{new string('─', Math.Min(72, step.Title.Length + 8))}");
            text.AppendLine(Blank().Replace(body.Trim(), "\n\n"));
            foreach (var q in step.Questions)
            {
                text.AppendLine();
                text.AppendLine($"  Question [{q.Id}]: {QuestionParameters.Prompt(seed, lab.Id, q)}");
                for (var i = 0; i < q.Choices.Count; i++) text.AppendLine($"    {(char)('a' + i)}) {q.Choices[i]}");
                text.AppendLine($"    answer: workbench lab answer {lab.Id} {q.Id} {(q.Kind == QuestionKind.Choice ? "LETTER" : "VALUE")}");
            }
            if (step.Hints.Count > 0) text.AppendLine($"\n  {step.Hints.Count} hint{(step.Hints.Count == 1 ? "" : "s")}: workbench lab hint {lab.Id} {step.Number}");
            text.AppendLine($"  check: workbench lab check {lab.Id} --step {step.Number}");
            text.AppendLine();
        }
        return text.ToString();
    }

    private static string StripTitle(string introduction) =>
        string.Join('\n', introduction.Split('\n').SkipWhile(l => l.StartsWith("# ", StringComparison.Ordinal) || l.Length == 0));

    /// <summary>The Markdown without the blocks a student does not read as written (scripts, hints, questions).</summary>
    private static string WithoutHiddenBlocks(string markdown)
    {
        var text = new StringBuilder(markdown);
        foreach (var fence in LabMarkdown.Parse(markdown).Descendants<LabFence>().Where(f => !f.ShownAsWritten).OrderByDescending(f => f.Span.Start))
        {
            var end = Math.Min(text.Length, fence.Span.End + 1);
            if (end < text.Length && text[end] == '\n') end++;
            text.Remove(fence.Span.Start, end - fence.Span.Start);
        }
        return text.ToString();
    }

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex Blank();
}
