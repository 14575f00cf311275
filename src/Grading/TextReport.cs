using System.Globalization;
using System.Text;

namespace VirtualizationWorkbench.Grading;

/// <summary>Grades as text: one submission check by check (for the student at the keyboard, or the instructor's
/// copy with hidden checks shown), and a class summary with a score histogram.</summary>
public static class TextReport
{
    /// <summary>One submission. With <paramref name="showHidden"/> false (the student's view), hidden checks
    /// show only pass or fail.</summary>
    public static string Submission(GradeReport report, bool showHidden)
    {
        var text = new StringBuilder();
        if (report.BuildErrors.Count > 0)
        {
            text.AppendLine("does not compile:");
            foreach (var e in report.BuildErrors) text.AppendLine("  " + e);
            text.AppendLine();
        }
        foreach (var r in report.Checks)
        {
            var shown = showHidden || r.Check.ShownToStudent;
            var label = r.Status switch
            {
                CheckStatus.Passed => "PASS",
                CheckStatus.TimedOut => "TIME",
                CheckStatus.Crashed => "CRASH",
                CheckStatus.NotRun => "SKIP",
                _ => "FAIL",
            };
            text.AppendLine(CultureInfo.InvariantCulture, $"{label,-5} {Points(r.Score)}/{Points(r.Check.Points)}  {r.Check.Name}{(r.Check.ShownToStudent ? "" : " (hidden)")}");
            if (r.Passed) continue;
            if (!shown)
            {
                text.AppendLine("      (a hidden check: its details are withheld)");
                continue;
            }
            foreach (var line in r.Message.Trim().Split('\n').Take(12)) text.AppendLine("      " + line.TrimEnd());
            if (r.Check.Hint is { Length: > 0 } hint) text.AppendLine("      hint: " + hint);
        }
        foreach (var p in report.Problems) text.AppendLine("problem: " + p);
        if (report.Verdict.Length > 0) text.AppendLine("verdict: " + report.Verdict);
        text.AppendLine(CultureInfo.InvariantCulture, $"score: {Points(report.Score)}/{Points(report.MaxScore)}{(report.FullMarks ? " — full marks" : "")}");
        return text.ToString();
    }

    /// <summary>The class: every student's score, then a histogram of the scores in tenths of the maximum.</summary>
    public static string Class(string lab, IReadOnlyList<GradeReport> reports)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"lab {lab}: {reports.Count} submissions");
        var width = Math.Max(10, reports.Select(r => r.Submission.Length).DefaultIfEmpty(0).Max());
        foreach (var r in reports)
        {
            var note = !r.Compiled ? "does not compile" : string.Join("; ", r.Problems.Select(p => p.Split('\n')[0]));
            text.AppendLine($"  {r.Submission.PadRight(width)}  {Points(r.Score),5}/{Points(r.MaxScore)}  {note}".TrimEnd());
        }
        if (reports.Count == 0) return text.ToString();
        var max = reports[0].MaxScore;
        var mean = reports.Average(r => r.Score);
        text.AppendLine($"mean {mean:0.##}/{Points(max)}, full marks {reports.Count(r => r.FullMarks)}, not compiling {reports.Count(r => !r.Compiled)}");
        text.AppendLine("histogram (share of the maximum):");
        var buckets = new int[11];
        foreach (var r in reports) buckets[Bucket(r.Score, max)]++;
        for (var b = 0; b <= 10; b++)
        {
            var range = b == 10 ? "  100%   " : $"{b * 10,3}-{b * 10 + 9,2}%  ";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {range} {new string('#', buckets[b])} {buckets[b]}");
        }
        return text.ToString();
    }

    /// <summary>The histogram bucket of a score: 0 for 0-9 % of the maximum, …, 10 for full marks.</summary>
    public static int Bucket(double score, double max) =>
        max <= 0 ? 10 : score >= max ? 10 : Math.Clamp((int)Math.Floor(score / max * 10), 0, 9);

    /// <summary>A score as text: whole numbers without decimals.</summary>
    public static string Points(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
