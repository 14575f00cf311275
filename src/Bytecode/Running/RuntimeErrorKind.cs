namespace VirtualizationWorkbench.Bytecode.Running;

/// <summary>What stops a verified program at run time. The numbers are shared with the guest VM, which leaves
/// them in r0 when it stops (<c>MachinePlatform/bytecode-vm.s</c>).</summary>
public enum RuntimeErrorKind
{
    /// <summary>div or rem by zero.</summary>
    DivisionByZero = 1,
    /// <summary>iaload or iastore outside the array.</summary>
    IndexOutOfBounds = 2,
    /// <summary>newarray with a negative length.</summary>
    NegativeArraySize = 3,
    /// <summary>More array words than <see cref="VmLimits.HeapWords"/> allocated in all (there is no collector).</summary>
    OutOfMemory = 4,
    /// <summary>More than <see cref="VmLimits.CallDepth"/> nested calls.</summary>
    StackOverflow = 5,
    /// <summary>The step limit (--max-steps) reached.</summary>
    StepLimit = 6,
}
