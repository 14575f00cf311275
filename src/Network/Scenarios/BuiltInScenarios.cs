using System.Reflection;

namespace VirtualizationWorkbench.Network.Scenarios;

/// <summary>The scenarios the workbench carries: <c>telekom-entertain</c>, <c>two-tenants</c> and <c>tag-overhead</c>.</summary>
public static class BuiltInScenarios
{
    /// <summary>Their names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["telekom-entertain", "two-tenants", "tag-overhead"];

    /// <summary>The text of a built-in scenario; null if there is none of that name.</summary>
    public static string? Text(string name)
    {
        if (!Names.Contains(name)) return null;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Scenarios.{name}.net");
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>A built-in scenario, parsed.</summary>
    public static Scenario? Find(string name) => Text(name) is { } text ? ScenarioParser.Parse(text, $"builtin/{name}.net") : null;
}
