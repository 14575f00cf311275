namespace VirtualizationWorkbench.Emulation.Cpu;

/// <summary>
/// Virtual cycles per instruction class, the same for every engine so that their counters agree. A simple
/// in-order pipeline: one cycle per instruction, plus the extras below (memory, multiply and divide latency, a
/// taken branch's refill, a trap's pipeline flush).
/// </summary>
public static class Rv32Costs
{
    /// <summary>Every instruction.</summary>
    public const uint Base = 1;
    /// <summary>Extra for a load or a store.</summary>
    public const uint Memory = 1;
    /// <summary>Extra for MUL, MULH, MULHSU, MULHU.</summary>
    public const uint Multiply = 2;
    /// <summary>Extra for DIV, DIVU, REM, REMU.</summary>
    public const uint Divide = 32;
    /// <summary>Extra for a taken branch or a jump.</summary>
    public const uint Jump = 2;
    /// <summary>Extra for entering a trap.</summary>
    public const uint Trap = 8;
}
