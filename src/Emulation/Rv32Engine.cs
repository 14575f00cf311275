namespace VirtualizationWorkbench.Emulation;

/// <summary>Which engine runs the guest's instructions. All three give the same results and counters.</summary>
public enum Rv32Engine
{
    /// <summary>Fetch, decode, execute, one instruction at a time (the Bochs model).</summary>
    Interpreter,
    /// <summary>Basic blocks translated once to .NET IL, cached and chained (QEMU's TCG model).</summary>
    Translator,
    /// <summary>The interpreter written in JavaScript, run by Jint (as JSNES and jslinux run in a browser).</summary>
    JavaScript,
}
