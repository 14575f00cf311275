namespace VirtualizationWorkbench.Grading.Tests;

/// <summary>Every grading test grades against the reference solutions or hidden checks: in a student kit, all are
/// skipped (see <see cref="InstructorFiles"/>).</summary>
[SetUpFixture]
public sealed class GradingNeedsInstructorFiles
{
    [OneTimeSetUp]
    public void Require() => InstructorFiles.Require();
}
