using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// One line of the results stream the grading worker writes as it goes (JSON lines, flushed after each), so that
/// the grader knows which test was running when a submission hung or ended the process, and keeps every result
/// that came before.
/// </summary>
/// <param name="Event"><c>compiled</c>, <c>build-failed</c>, <c>start</c>, <c>finish</c> or <c>done</c>.</param>
/// <param name="Test">The test's full name (start, finish).</param>
/// <param name="Passed">Whether it passed (finish).</param>
/// <param name="Message">The failure message (finish).</param>
/// <param name="Output">What the test printed, cut to <see cref="GradingWorker.OutputCap"/> (finish).</param>
/// <param name="Errors">The compiler's errors (build-failed).</param>
/// <param name="Observations">What the test observed of the submission (finish), for the judge.</param>
public sealed record WorkerEvent(string Event, string? Test = null, bool Passed = false, string? Message = null, string? Output = null, IReadOnlyList<string>? Errors = null, IReadOnlyList<Observation>? Observations = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The line for this event.</summary>
    public string ToLine() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a line; null for anything that is not an event (a line cut short by a kill, say).</summary>
    public static WorkerEvent? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkerEvent>(line, Json) is { Event: { Length: > 0 } } e ? e : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
