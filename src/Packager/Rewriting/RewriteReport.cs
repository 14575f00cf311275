namespace VirtualizationWorkbench.Packager.Rewriting;

/// <summary>What the packager could not redirect, and why it matters.</summary>
public enum FindingKind
{
    /// <summary>A call into native code (P/Invoke): it reaches the host without passing the sandbox.</summary>
    PlatformInvoke,

    /// <summary>Reflection on System.IO or the registry: the call target is chosen at run time, after rewriting.</summary>
    Reflection,

    /// <summary>A ReadyToRun image: its precompiled code is dropped by rewriting and the IL is compiled at run time instead.</summary>
    ReadyToRun,

    /// <summary>Unsafe code: pointers can reach memory the sandbox does not guard.</summary>
    UnsafeCode,

    /// <summary>A filesystem, registry or process member the table does not redirect: it acts on the host as
    /// the kernel boundary lets it.</summary>
    NotRedirected,
}

/// <summary>One thing the packager could not redirect.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Method">The full name of the application method it is in (or the assembly, for whole-image findings).</param>
/// <param name="Source">The source file and line, when the assembly has symbols.</param>
/// <param name="Detail">The member or feature concerned.</param>
public sealed record Finding(FindingKind Kind, string Method, string? Source, string Detail)
{
    /// <summary>What the finding means where the application runs: every kind but <see cref="FindingKind.ReadyToRun"/>
    /// reaches files the rewriting does not see, which on Linux the kernel boundary confines to the isolation rules
    /// (docs/packager.md, "What is enforced"); a ReadyToRun image only starts slower.</summary>
    public string Consequence => Kind == FindingKind.ReadyToRun
        ? "a start-up cost, not a risk"
        : "contained by the kernel boundary; reaches the host where the sandbox is advisory";

    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Detail} in {Method}{(Source is null ? "" : $" ({Source})")}: {Consequence}";
}

/// <summary>What happened to one assembly.</summary>
/// <param name="Assembly">The file name in the package.</param>
/// <param name="RedirectedCalls">The call sites that now go to the sandbox.</param>
/// <param name="Findings">What could not be redirected.</param>
public sealed record AssemblyReport(string Assembly, int RedirectedCalls, IReadOnlyList<Finding> Findings);

/// <summary>The rewrite report of a whole package.</summary>
/// <param name="Assemblies">One entry per rewritten assembly, by file name.</param>
public sealed record RewriteReport(IReadOnlyList<AssemblyReport> Assemblies)
{
    /// <summary>Every finding.</summary>
    public IEnumerable<Finding> Findings => Assemblies.SelectMany(assembly => assembly.Findings);

    /// <summary>The report as text, one assembly per paragraph.</summary>
    public string ToText()
    {
        var lines = new List<string>();
        foreach (var assembly in Assemblies)
        {
            lines.Add($"{assembly.Assembly}: {assembly.RedirectedCalls} call(s) redirected, {assembly.Findings.Count} finding(s)");
            lines.AddRange(assembly.Findings.Select(finding => "  " + finding));
        }
        return string.Join('\n', lines) + "\n";
    }
}
