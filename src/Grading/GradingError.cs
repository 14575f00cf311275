namespace VirtualizationWorkbench.Grading;

/// <summary>A mistake the user can fix when grading (a missing folder, an exercise that lacks its project, grading
/// tests that do not compile): the <c>workbench</c> command prints it as one line and exits non-zero.</summary>
public sealed class GradingError(string message) : Exception(message);
