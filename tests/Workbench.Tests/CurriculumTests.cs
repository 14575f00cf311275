using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Labs.Markdown;

namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary>Lessons and labs hang together: every page parses, every link resolves, every lesson names its lab.</summary>
public class CurriculumTests
{
    // The labs the course will have, in its fixed numbering; a lesson may link to one not written yet.
    private static readonly string[] PlannedLabs =
    [
        "01-machine", "02-partitioning", "03-emulation", "04-application-virtualization", "05-full-virtualization",
        "06-paravirtualization", "07-hardware-virtualization", "08-containers", "09-storage-virtualization",
        "10-network-virtualization",
    ];

    // The workbench's own pipeline, so links are checked exactly as the terminal UI follows them.
    private static MarkdownPipeline Pipeline => LabMarkdown.Pipeline;

    private static string Root => WorkbenchProcess.RepositoryRoot;

    private static IEnumerable<string> Pages() =>
        Directory.EnumerateFiles(Path.Combine(Root, "curriculum"), "*.md", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "labs"), "lab.md", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md"))
            .Append(Path.Combine(Root, "README.md"));

    [Test]
    public void Every_Link_Resolves_To_A_File_And_Heading()
    {
        var problems = new List<string>();
        var checkedLinks = 0;
        foreach (var page in Pages())
        {
            var document = Markdown.Parse(File.ReadAllText(page), Pipeline);
            foreach (var link in document.Descendants<LinkInline>().Where(l => !l.IsImage))
            {
                var url = link.Url ?? "";
                if (url.Length == 0 || url.Contains("://") || url.StartsWith("mailto:", StringComparison.Ordinal)) continue;
                checkedLinks++;
                var hash = url.IndexOf('#');
                var file = hash < 0 ? url : url[..hash];
                var anchor = hash < 0 ? null : url[(hash + 1)..];
                var target = file.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(file)));
                var where = $"{Path.GetRelativePath(Root, page)}:{link.Line + 1}: {url}";
                if (!File.Exists(target) && !Directory.Exists(target))
                {
                    var lab = Path.GetFileName(Path.GetDirectoryName(target));
                    if (Path.GetFileName(target) == "lab.md" && PlannedLabs.Contains(lab)) continue;
                    problems.Add($"{where}: no such file");
                    continue;
                }
                if (anchor is not null && target.EndsWith(".md", StringComparison.Ordinal))
                {
                    var ids = Markdown.Parse(File.ReadAllText(target), Pipeline).Descendants<HeadingBlock>()
                        .Select(h => h.GetAttributes().Id).ToHashSet();
                    if (!ids.Contains(anchor)) problems.Add($"{where}: no heading #{anchor} in {Path.GetFileName(target)}");
                }
            }
        }
        Assert.That(checkedLinks, Is.GreaterThan(100), "the pages link to each other");
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void Every_Lesson_Links_To_A_Lab_And_Every_Lab_Names_Existing_Lessons()
    {
        foreach (var lesson in Directory.EnumerateFiles(Path.Combine(Root, "curriculum"), "??-*.md"))
        {
            Assert.That(File.ReadAllText(lesson), Does.Match(@"\]\(\.\./labs/\d\d-[a-z-]+/lab\.md\)"), $"{Path.GetFileName(lesson)} links to the lab that practises it");
        }
        foreach (var labFile in Directory.EnumerateFiles(Path.Combine(Root, "labs"), "lab.md", SearchOption.AllDirectories))
        {
            var lab = LabParser.Load(labFile);
            Assert.That(PlannedLabs, Does.Contain(lab.Id), $"{lab.Id} follows the course numbering");
            Assert.That(Path.GetFileName(lab.Folder), Is.EqualTo(lab.Id), "a lab's id is its folder's name");
            foreach (var lesson in lab.Lessons)
            {
                Assert.That(File.Exists(Path.Combine(Root, "curriculum", lesson + ".md")), $"{lab.Id} rests on curriculum/{lesson}.md");
            }
        }
    }

    [Test]
    public void The_Index_Lists_Every_Lesson()
    {
        var index = File.ReadAllText(Path.Combine(Root, "curriculum", "README.md"));
        foreach (var lesson in Directory.EnumerateFiles(Path.Combine(Root, "curriculum"), "??-*.md"))
        {
            Assert.That(index, Does.Contain($"({Path.GetFileName(lesson)})"), $"README.md lists {Path.GetFileName(lesson)}");
        }
    }

    [Test]
    public void Every_Review_Question_Has_An_Answer()
    {
        var text = File.ReadAllText(Path.Combine(Root, "curriculum", "review-questions.md"));
        var answers = System.Text.RegularExpressions.Regex.Matches(text, "<summary>Answer</summary>").Count;
        var details = System.Text.RegularExpressions.Regex.Matches(text, "</details>").Count;
        Assert.That(answers, Is.GreaterThanOrEqualTo(13 * 4), "at least four answered questions per lesson");
        Assert.That(details, Is.EqualTo(answers), "every answer block is closed");
    }
}
