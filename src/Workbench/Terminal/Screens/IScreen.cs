using Spectre.Console.Rendering;
using VirtualizationWorkbench.Workbench.Terminal.Input;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>A key and what it does here, for the key bar and the help screen.</summary>
public sealed record KeyHint(string Keys, string Action);

/// <summary>
/// One full-screen view. A screen is thin: it turns its view-model's state into renderables and keys into
/// view-model calls. The application draws the title bar, the message line and the key bar around it.
/// </summary>
public interface IScreen
{
    /// <summary>The title bar's text.</summary>
    string Title { get; }

    /// <summary>The keys that work here, most useful first.</summary>
    IReadOnlyList<KeyHint> Keys { get; }

    /// <summary>A line of news for the message line (a result, an error, what to do next), or null.</summary>
    string? Message { get; }

    /// <summary>The prompt being typed into, if any: it takes every key until it is done.</summary>
    LineEditor? Prompt { get; }

    /// <summary>Whether the screen changes by itself (a running machine) and wants frames at least 10 times a second.</summary>
    bool Animating { get; }

    /// <summary>The screen's body for a region of <paramref name="width"/> × <paramref name="height"/>.</summary>
    IRenderable Render(int width, int height);

    /// <summary>Takes one key; says where to go next.</summary>
    Navigation Handle(KeyInput key);

    /// <summary>Called when the screen is left for good (stop background work).</summary>
    void Close();

    /// <summary>Called when the screen is shown again after the one above it closed (state may have changed).</summary>
    void Resume();
}
