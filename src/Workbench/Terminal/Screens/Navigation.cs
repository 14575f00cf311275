namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>What a key press asks the application to do next.</summary>
public sealed class Navigation
{
    private Navigation() { }

    /// <summary>Stay on this screen (and redraw it).</summary>
    public static Navigation Stay { get; } = new();

    /// <summary>Go back to the previous screen (leave the workbench from the home screen).</summary>
    public static Navigation Back { get; } = new();

    /// <summary>Leave the workbench.</summary>
    public static Navigation Quit { get; } = new();

    /// <summary>Open <paramref name="screen"/> on top of this one.</summary>
    public static Navigation Open(IScreen screen) => new() { Next = screen };

    /// <summary>The screen to open, for <see cref="Open"/>.</summary>
    public IScreen? Next { get; private init; }
}
