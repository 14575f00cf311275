using VirtualizationWorkbench.Bytecode.Format;

namespace VirtualizationWorkbench.Bytecode.Host;

/// <summary>One call frame as a <see cref="SteppingSession"/> shows it between two instructions.</summary>
/// <param name="Function">The function's index.</param>
/// <param name="Name">The function's name.</param>
/// <param name="Offset">The running frame: its next instruction; a caller: its call instruction.</param>
/// <param name="Line">The source position of the statement at <paramref name="Offset"/>, if known.</param>
/// <param name="Locals">The local-variable array, parameters first.</param>
/// <param name="Stack">The operand stack, bottom first.</param>
public sealed record SteppedFrame(int Function, string Name, int Offset, LineEntry? Line, IReadOnlyList<SteppedValue> Locals, IReadOnlyList<SteppedValue> Stack);
