using System.Globalization;
using System.Text;

namespace VirtualizationWorkbench.Grading;

/// <summary>The class as CSV (RFC 4180): one row per student with the total and each check's points, for a
/// spreadsheet or a learning-management system's grade import.</summary>
public static class CsvReport
{
    /// <summary>The CSV text.</summary>
    public static string Write(IReadOnlyList<GradeReport> reports)
    {
        // Every check any student has, in the order first met: whole-lab submissions add the steps and questions.
        var checks = reports.SelectMany(r => r.Checks.Select(c => c.Check)).DistinctBy(c => c.FullName).ToList();
        var text = new StringBuilder();
        Row(text, ["student", "score", "max_score", "percent", "compiled", "problems", .. checks.Select(c => c.Name)]);
        foreach (var r in reports)
        {
            var percent = r.MaxScore > 0 ? r.Score / r.MaxScore * 100 : 0;
            Row(text, [
                r.Submission, TextReport.Points(r.Score), TextReport.Points(r.MaxScore), percent.ToString("0.#", CultureInfo.InvariantCulture),
                r.Compiled ? "yes" : "no", string.Join("; ", r.Problems.Select(p => p.Split('\n')[0])),
                .. checks.Select(c => r.Checks.FirstOrDefault(x => x.Check.FullName == c.FullName) is { } x ? TextReport.Points(x.Score) : ""),
            ]);
        }
        return text.ToString();
    }

    private static void Row(StringBuilder text, IEnumerable<string> fields)
    {
        text.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\r', '\n']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
