namespace VirtualizationWorkbench.Labs;

/// <summary>A mistake the user can fix in a lab, an answer sheet or the progress file: the message says what
/// was wrong, where (<c>file:line:column</c> where there is one) and what to do. The <c>workbench</c> command
/// prints it as one line and exits non-zero, never with a stack trace.</summary>
public class LabError(string message) : Exception(message);
