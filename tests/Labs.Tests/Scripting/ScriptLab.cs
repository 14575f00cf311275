using System.Diagnostics;
using VirtualizationWorkbench.Labs.Scripting;

namespace VirtualizationWorkbench.Labs.Tests.Scripting;

/// <summary>A one-step lab around a script under test, with small guests to drive, checked with small limits so
/// that a runaway script is stopped in about a second.</summary>
internal static class ScriptLab
{
    /// <summary>Limits small enough for tests; <see cref="ScriptLimits.Default"/> is tested on its own.</summary>
    public static readonly ScriptLimits Small = new()
    {
        Time = TimeSpan.FromSeconds(1),
        MaxStatements = 500_000,
        MemoryBytes = 64L * 1024 * 1024,
        RegexTime = TimeSpan.FromMilliseconds(200),
        MachineMemoryBytes = 256L * 1024 * 1024,
        MaxMachines = 16,
    };

    /// <summary>Limits for scripts that must not run into one (the API and sandbox tests): a minute, as a hang
    /// catcher on a loaded machine, and otherwise <see cref="Small"/>.</summary>
    public static readonly ScriptLimits Roomy = Small with { Time = TimeSpan.FromMinutes(1) };

    /// <summary>The lab's text: asm blocks <c>loop</c> (jumps to itself), <c>brkloop</c> (a breakpoint in a
    /// loop) and <c>answer</c> (puts 42 in r1 and halts), a question <c>q</c>, then the script.</summary>
    public static string Text(string script) => $"""
        ---
        id: 98-script
        title: Scripts under test
        topic: testing
        minutes: 5
        ---
        # Scripts under test

        ## The step

        ```asm name=loop
        start:
            jmp start
        ```

        ```asm name=brkloop
        start:
            brk
            jmp start
        ```

        ```asm name=answer
        li r1, 42
        hlt
        ```

        ```question id=q
        kind: numeric
        prompt: What is the answer?
        ```

        ```js
        {script}
        ```
        """;

    /// <summary>The repository's labs folder, for scripts that load the shared guests (<c>guests/minikernel.s</c>).</summary>
    public static readonly string LabsFolder = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "labs"));

    /// <summary>The lab, parsed as <c>test/lab.md</c>, or as a lab of the labs folder (so that it finds the
    /// shared guests) when <paramref name="besideGuests"/>.</summary>
    public static LabDocument Parse(string script, bool besideGuests = false) =>
        LabParser.Parse(Text(script), besideGuests ? Path.Combine(LabsFolder, "98-script", "lab.md") : "test/lab.md");

    /// <summary>The line of lab.md that holds line <paramref name="scriptLine"/> (1-based) of the script.</summary>
    public static int Line(string script, int scriptLine) => Parse(script).Steps[0].Scripts[0].Line + scriptLine - 1;

    /// <summary>Checks the step; how long it took goes to the test's output, for the record of the limits.</summary>
    public static StepResult Check(string script, ScriptLimits? limits = null, CancellationToken cancellation = default,
        string? work = null, bool besideGuests = false)
    {
        var lab = Parse(script, besideGuests);
        var checker = new LabChecker(lab, new StudentWork(1234, new Dictionary<string, string> { ["q"] = "42" }, work), () => new JintScriptHost(limits ?? Roomy));
        var clock = Stopwatch.StartNew();
        var result = checker.CheckStep(lab.Steps[0], cancellation);
        TestContext.Out.WriteLine($"{clock.Elapsed.TotalMilliseconds:F0} ms: {result.Error ?? "passed: " + result.Passed}");
        return result;
    }

    /// <summary>Checks a script that must fail; returns its error and how long the check took.</summary>
    public static (string Error, TimeSpan Elapsed) Failure(string script, ScriptLimits? limits = null, string? work = null)
    {
        var clock = Stopwatch.StartNew();
        var result = Check(script, limits, work: work);
        Assert.That(result.Error, Is.Not.Null, "the script should have failed");
        return (result.Error!, clock.Elapsed);
    }
}
