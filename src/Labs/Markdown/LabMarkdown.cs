using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Syntax;

namespace VirtualizationWorkbench.Labs.Markdown;

/// <summary>The one Markdig pipeline labs and lessons are read with, by the lab parser, <c>lab show</c> and the
/// terminal UI alike: YAML front matter, pipe tables, automatic links, heading ids (so <c>#anchor</c> links resolve as
/// they do on GitHub) and <see cref="UseLabBlocks"/>.</summary>
public static class LabMarkdown
{
    /// <summary>How deep blocks and inlines may nest. Markdig refuses deeper documents instead of exhausting the
    /// stack, so a hostile lab.md fails alone with an error rather than taking the process down.</summary>
    public const int MaximumNestingDepth = 64;

    /// <summary>The pipeline.</summary>
    public static MarkdownPipeline Pipeline { get; } = Build();

    /// <summary>Adds the lab blocks: fenced code becomes <see cref="LabFence"/> (<c>asm</c>, <c>js</c>,
    /// <c>hint</c>, <c>question</c> and plain code).</summary>
    public static MarkdownPipelineBuilder UseLabBlocks(this MarkdownPipelineBuilder pipeline)
    {
        pipeline.Extensions.AddIfNotAlready<LabBlocksExtension>();
        return pipeline;
    }

    /// <summary>Parses Markdown with the pipeline (line endings made <c>\n</c> first); <paramref name="file"/> names
    /// it in errors.</summary>
    /// <exception cref="LabFormatException">The Markdown nests deeper than <see cref="MaximumNestingDepth"/>.</exception>
    public static MarkdownDocument Parse(string markdown, string file = "(markdown)")
    {
        try
        {
            return Markdig.Markdown.Parse(markdown.ReplaceLineEndings("\n"), Pipeline);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException && (e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("nest", StringComparison.OrdinalIgnoreCase)))
        {
            throw new LabFormatException(file, 1, 1, $"the Markdown nests deeper than {MaximumNestingDepth} levels; flatten the lists, quotes or brackets");
        }
    }

    private static MarkdownPipeline Build()
    {
        var builder = new MarkdownPipelineBuilder().UseYamlFrontMatter().UsePipeTables().UseAutoLinks().UseAutoIdentifiers(AutoIdentifierOptions.GitHub).UseLabBlocks();
        builder.MaximumNestingDepth = MaximumNestingDepth;
        return builder.Build();
    }
}
