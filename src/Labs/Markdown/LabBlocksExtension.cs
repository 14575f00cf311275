using Markdig;
using Markdig.Parsers;
using Markdig.Renderers;

namespace VirtualizationWorkbench.Labs.Markdown;

/// <summary>The Markdig extension behind <see cref="LabMarkdown.UseLabBlocks"/>: fenced code is parsed into
/// <see cref="LabFence"/> blocks.</summary>
public sealed class LabBlocksExtension : IMarkdownExtension
{
    /// <inheritdoc/>
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        if (!pipeline.BlockParsers.Contains<LabFenceParser>())
        {
            pipeline.BlockParsers.Replace<FencedCodeBlockParser>(new LabFenceParser());
        }
    }

    /// <inheritdoc/>
    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        // Nothing to render differently: a LabFence is a FencedCodeBlock to every renderer.
    }

    /// <summary>Fenced code, as Markdig parses it, made into <see cref="LabFence"/> blocks.</summary>
    private sealed class LabFenceParser : FencedCodeBlockParser
    {
        protected override Markdig.Syntax.FencedCodeBlock CreateFencedBlock(BlockProcessor processor) =>
            new LabFence(this) { IndentCount = processor.Indent };
    }
}
