namespace VirtualizationWorkbench.Workbench.Terminal.Rendering;

/// <summary>A link in laid-out text: where it shows, what it says and where it points.</summary>
/// <param name="Line">The line it starts on.</param>
/// <param name="Text">Its text.</param>
/// <param name="Url">Its target as written (relative path, maybe with <c>#anchor</c>).</param>
public sealed record DocumentLink(int Line, string Text, string Url);

/// <summary>A heading in laid-out text, with the id links use for it (<c>#the-heading</c>).</summary>
public sealed record DocumentHeading(int Line, int Level, string Text, string Id);

/// <summary>Markdown laid out for one width: the lines, and where the links and headings are.</summary>
public sealed record LaidOutDocument(int Width, IReadOnlyList<StyledLine> Lines, IReadOnlyList<DocumentLink> Links, IReadOnlyList<DocumentHeading> Headings);
