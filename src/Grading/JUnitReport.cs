using System.Globalization;
using System.Xml.Linq;

namespace VirtualizationWorkbench.Grading;

/// <summary>The class as JUnit XML, the format CI systems and many course tools read: one
/// <c>testsuite</c> per student, one <c>testcase</c> per check, a <c>failure</c> (or <c>error</c> for a
/// time-out, a crash or a check that never ran) with the message.</summary>
public static class JUnitReport
{
    /// <summary>The XML document.</summary>
    public static XDocument Write(string lab, IReadOnlyList<GradeReport> reports)
    {
        var suites = new XElement("testsuites",
            new XAttribute("name", lab),
            new XAttribute("tests", reports.Sum(r => r.Checks.Count)),
            new XAttribute("failures", reports.Sum(r => r.Checks.Count(c => c.Status == CheckStatus.Failed))),
            new XAttribute("errors", reports.Sum(r => r.Checks.Count(c => c.Status is CheckStatus.TimedOut or CheckStatus.Crashed or CheckStatus.NotRun))));
        foreach (var r in reports)
        {
            var suite = new XElement("testsuite",
                new XAttribute("name", r.Submission),
                new XAttribute("tests", r.Checks.Count),
                new XAttribute("failures", r.Checks.Count(c => c.Status == CheckStatus.Failed)),
                new XAttribute("errors", r.Checks.Count(c => c.Status is CheckStatus.TimedOut or CheckStatus.Crashed or CheckStatus.NotRun)),
                new XAttribute("time", r.Elapsed.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)),
                new XElement("properties",
                    new XElement("property", new XAttribute("name", "score"), new XAttribute("value", TextReport.Points(r.Score))),
                    new XElement("property", new XAttribute("name", "max_score"), new XAttribute("value", TextReport.Points(r.MaxScore)))));
            foreach (var c in r.Checks)
            {
                var testcase = new XElement("testcase", new XAttribute("classname", r.Submission), new XAttribute("name", c.Check.Name));
                if (!c.Passed)
                {
                    var kind = c.Status == CheckStatus.Failed ? "failure" : "error";
                    testcase.Add(new XElement(kind, new XAttribute("message", c.Message.Split('\n')[0]), new XAttribute("type", c.Status.ToString()), c.Message));
                }
                if (c.Output.Length > 0) testcase.Add(new XElement("system-out", c.Output));
                suite.Add(testcase);
            }
            if (r.BuildErrors.Count > 0 || r.Problems.Count > 0)
            {
                suite.Add(new XElement("system-err", string.Join('\n', r.BuildErrors.Concat(r.Problems))));
            }
            suites.Add(suite);
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites);
    }
}
