namespace VirtualizationWorkbench.Machine.Cpu;

/// <summary>The kinds of instruction the cost table prices separately.</summary>
public enum CostClass
{
    /// <summary>Register moves, arithmetic, logic, compares.</summary>
    Simple,
    /// <summary>Multiplication.</summary>
    Multiply,
    /// <summary>Division and remainder.</summary>
    Divide,
    /// <summary>Branches, calls and returns (their memory accesses are charged on top).</summary>
    Branch,
    /// <summary>Loads, stores, push, pop, exchange (the access itself is charged on top).</summary>
    Memory,
    /// <summary>Port input and output.</summary>
    PortIo,
    /// <summary>Control-register moves, interrupt-table load and store.</summary>
    ControlRegister,
    /// <summary>TLB invalidation of one entry or all.</summary>
    TlbInvalidate,
    /// <summary>Flags push and pop, interrupt enable and disable, reading the ring.</summary>
    System,
    /// <summary>Halt, breakpoint, software interrupt, hypercall and interrupt return (the trap or ring
    /// transition they cause is charged on top).</summary>
    Control,
}
