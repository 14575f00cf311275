using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// One submission as Gradescope's <c>results.json</c> (the autograder specification): the total score and
/// maximum, and per test its name, score, max_score, status, output and visibility. Gradescope shows each
/// test's output to the student according to its visibility.
/// </summary>
public static class GradescopeResults
{
    /// <summary>The JSON text.</summary>
    public static string Write(GradeReport report)
    {
        var tests = new JsonArray();
        foreach (var c in report.Checks)
        {
            var output = c.Passed ? c.Output : string.Join("\n", new[] { c.Message, c.Check.Hint is { Length: > 0 } h ? "hint: " + h : "", c.Output }.Where(s => s.Length > 0));
            tests.Add(new JsonObject
            {
                ["name"] = c.Check.Name,
                ["score"] = c.Score,
                ["max_score"] = c.Check.Points,
                ["status"] = c.Passed ? "passed" : "failed",
                ["output"] = output,
                ["visibility"] = c.Check.GradescopeVisibility,
            });
        }
        var summary = report.BuildErrors.Count > 0
            ? "The submission does not compile:\n" + string.Join('\n', report.BuildErrors)
            : string.Join('\n', report.Problems);
        var document = new JsonObject
        {
            ["score"] = report.Score,
            ["max_score"] = report.MaxScore,
            ["execution_time"] = Math.Round(report.Elapsed.TotalSeconds, 3),
            ["output"] = summary,
            ["visibility"] = "visible",
            ["tests"] = tests,
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
