namespace VirtualizationWorkbench.Containers;

/// <summary>A request the container kernel refuses (an image that does not exist, a limit of zero, a name in use):
/// the message says what and what to do instead. Nothing was created.</summary>
public sealed class ContainerError(string message) : Exception(message);
