using Spectre.Console;
using VirtualizationWorkbench.Workbench.Terminal.Rendering;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

public sealed class MarkdownLayoutTests
{
    private static string Text(LaidOutDocument doc) => string.Join('\n', doc.Lines.Select(l => l.Plain));

    [Test]
    public void Should_Style_Headings_And_Emphasis()
    {
        var doc = MarkdownLayout.Layout("# Rings\n\nA **privileged** instruction and *sensitive* one, `hlt`.", 60);
        Assert.That(doc.Lines[0].Plain, Is.EqualTo("Rings"));
        Assert.That(doc.Lines[0].Spans[0].Style.Decoration.HasFlag(Decoration.Bold), Is.True);
        Assert.That(doc.Lines[1].Plain, Does.StartWith("═════"));
        var body = doc.Lines.Single(l => l.Plain.Contains("privileged"));
        Assert.That(body.Spans.Single(s => s.Text == "privileged").Style.Decoration.HasFlag(Decoration.Bold), Is.True);
        Assert.That(body.Spans.Single(s => s.Text == "sensitive").Style.Decoration.HasFlag(Decoration.Italic), Is.True);
        Assert.That(body.Spans.Single(s => s.Text == "hlt").Style, Is.EqualTo(Palette.InlineCode));
        Assert.That(doc.Headings.Single().Id, Is.EqualTo("rings"));
    }

    [Test]
    public void Should_Wrap_Paragraphs_To_The_Width()
    {
        var words = string.Join(' ', Enumerable.Range(0, 60).Select(i => $"word{i}"));
        var doc = MarkdownLayout.Layout(words, 30);
        Assert.That(doc.Lines, Has.Count.GreaterThan(5));
        Assert.That(doc.Lines.Select(l => l.Plain.Length), Has.All.LessThanOrEqualTo(30));
        Assert.That(Text(doc).Replace("\n", " "), Is.EqualTo(words));
    }

    [Test]
    public void Should_Keep_Text_Diagrams_Verbatim_And_Highlight_Assembly()
    {
        const string diagram = "+-----+     +-----+\n| VM  | --> | VMM |\n+-----+     +-----+";
        var doc = MarkdownLayout.Layout($"```text\n{diagram}\n```\n\n```asm\nstart: li r1, 40 ; forty\n```", 60);
        var text = Text(doc);
        foreach (var line in diagram.Split('\n')) Assert.That(text, Does.Contain("│ " + line));
        var asm = doc.Lines.Single(l => l.Plain.Contains("li r1"));
        Assert.That(asm.Spans.Single(s => s.Text == "r1").Style, Is.EqualTo(Palette.Register));
        Assert.That(asm.Spans.Single(s => s.Text == "li").Style, Is.EqualTo(Palette.Keyword));
        Assert.That(asm.Spans.Single(s => s.Text == "40").Style, Is.EqualTo(Palette.Number));
        Assert.That(asm.Spans.Single(s => s.Text.StartsWith(';')).Style, Is.EqualTo(Palette.Comment));
    }

    [Test]
    public void Should_Draw_Lists_Quotes_And_Tables()
    {
        var doc = MarkdownLayout.Layout("- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n| technique | ring |\n|---|---|\n| paravirtualization | 1 |", 60);
        var text = Text(doc);
        Assert.That(text, Does.Contain("• one\n• two"));
        Assert.That(text, Does.Contain("1. first\n2. second"));
        Assert.That(text, Does.Contain("│ quoted"));
        Assert.That(text, Does.Contain("│ technique          │ ring │"));
        Assert.That(text, Does.Contain("│ paravirtualization │ 1    │"));
        Assert.That(text, Does.Contain("├────"));
    }

    [Test]
    public void Should_Fit_Wide_Tables_By_Wrapping_Cells()
    {
        var wide = string.Join(' ', Enumerable.Repeat("long", 30));
        var doc = MarkdownLayout.Layout($"| a | b |\n|---|---|\n| {wide} | x |", 40);
        Assert.That(doc.Lines.Select(l => l.Plain.Length), Has.All.LessThanOrEqualTo(40));
        Assert.That(doc.Lines.Count(l => l.Plain.Contains("long")), Is.GreaterThan(1));
    }

    [Test]
    public void Should_Record_Links_With_The_Line_They_Are_On()
    {
        var doc = MarkdownLayout.Layout("# Title\n\nIntro.\n\n- see [lesson 05](05-full-virtualization.md) for more", 60);
        var link = doc.Links.Single();
        Assert.That(link.Url, Is.EqualTo("05-full-virtualization.md"));
        Assert.That(link.Text, Is.EqualTo("lesson 05"));
        Assert.That(doc.Lines[link.Line].Plain, Does.Contain("lesson 05"));
    }

    [Test]
    public void Should_Hide_The_Fences_It_Is_Told_To()
    {
        var doc = MarkdownLayout.Layout("Text.\n\n```js\nsolution('x', 3);\n```\n\n```asm\nhlt\n```", 60, labBlocksHidden: true);
        Assert.That(Text(doc), Does.Not.Contain("solution"));
        Assert.That(Text(doc), Does.Contain("hlt"));
    }
}
