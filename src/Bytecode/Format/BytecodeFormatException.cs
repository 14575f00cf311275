namespace VirtualizationWorkbench.Bytecode.Format;

/// <summary>A file that is not a well-formed <c>.vbc</c> module: what is wrong and at which byte.</summary>
public sealed class BytecodeFormatException(string message) : Exception(message);
