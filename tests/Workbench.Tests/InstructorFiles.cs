namespace VirtualizationWorkbench.Workbench.Tests;

/// <summary>
/// The reference solutions and hidden checks are the instructor's: the repository has them, the student kit
/// (<c>workbench kit export</c>) does not. Tests that grade against them say so and are skipped in a kit, so that a
/// student's <c>dotnet test</c> passes as it is; in the repository (and CI) they always run.
/// </summary>
internal static class InstructorFiles
{
    /// <summary>Whether the labs hold their solutions (the repository) rather than being a student kit.</summary>
    public static bool Present => Directory.Exists(Path.Combine(WorkbenchProcess.RepositoryRoot, "labs", "01-machine", "Solution"));

    /// <summary>Skips the calling test in a student kit, saying why.</summary>
    public static void Require()
    {
        if (!Present) Assert.Ignore("needs the labs' reference solutions, which a student kit leaves out (they are the instructor's)");
    }
}
