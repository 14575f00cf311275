namespace VirtualizationWorkbench.Machine.Cpu;

/// <summary>How a core executes guest code. Both engines give the same registers, memory, exits and counters,
/// instruction for instruction; they differ only in host speed.</summary>
public enum ExecutionEngine
{
    /// <summary>The decode/execute loop: one guest instruction at a time. The reference semantics.</summary>
    Interpreter,

    /// <summary>The dynamic binary translator: hot guest blocks compiled to host code (.NET IL), chained, checked
    /// against guest memory before they run again after anything else wrote it; the interpreter runs the rest.</summary>
    Translator,
}
