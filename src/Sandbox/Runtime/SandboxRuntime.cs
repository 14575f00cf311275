namespace VirtualizationWorkbench.Sandbox.Runtime;

/// <summary>The session the rewritten application's calls go to. The launcher activates it before running the
/// entry point; a rewritten assembly run any other way fails on its first redirected call, loudly, rather than
/// touching the host unguarded.</summary>
public static class SandboxRuntime
{
    private static SandboxSession? _current;

    /// <summary>The active session.</summary>
    /// <exception cref="InvalidOperationException">No session is active.</exception>
    public static SandboxSession Current => _current ?? throw new InvalidOperationException(
        "This assembly was rewritten by the Virtualization Workbench packager and runs only inside its sandbox: start it with `workbench app run PACKAGE.vapp`.");

    /// <summary>Whether a session is active.</summary>
    public static bool IsActive => _current is not null;

    /// <summary>Makes <paramref name="session"/> the one every redirected call uses.</summary>
    public static void Activate(SandboxSession session) => _current = session;

    /// <summary>Ends the active session (tests run several in one process).</summary>
    public static void Deactivate() => _current = null;
}
