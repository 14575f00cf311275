namespace VirtualizationWorkbench.Tests;

/// <summary>The NUnit categories of the project's tests. <see cref="EndToEnd"/> tests start processes (the real
/// <c>workbench</c> command, tmux, bubblewrap, <c>dotnet build</c> of test applications) and take most of the
/// suite's time; README.md shows how to run the others alone while developing. CI runs everything.</summary>
internal static class TestCategories
{
    /// <summary>Tests that start processes as a user would.</summary>
    public const string EndToEnd = "EndToEnd";
}
