namespace VirtualizationWorkbench.Bytecode.Running;

/// <summary>What a run of a bytecode program produced, on whichever platform.</summary>
/// <param name="Output">The bytes it printed.</param>
/// <param name="Result">The entry function's return value (0 after an error).</param>
/// <param name="Error">Why it stopped early, or null.</param>
/// <param name="Steps">Bytecode instructions executed (the interpreters count them; compiled code counts a block's
/// instructions when the block starts).</param>
/// <param name="Cycles">Virtual cycles on the machine platform; 0 on the host.</param>
/// <param name="MachineInstructions">VW32 instructions on the machine platform; 0 on the host.</param>
public sealed record VmRun(byte[] Output, int Result, RuntimeError? Error, long Steps, ulong Cycles, ulong MachineInstructions)
{
    /// <summary>The output as text.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Output);
}
