using VirtualizationWorkbench.Bytecode.Running;

namespace VirtualizationWorkbench.Bytecode.Host;

/// <summary>
/// Everything the host VM is, between two instructions: the current function and offset, the call frames, the
/// operand stacks and locals of all frames in one <c>int[]</c>, the heap, the output and the counters. A plain
/// struct: <see cref="HostVm"/> loads it into locals, runs, and stores it back, so a stepping session can stop
/// anywhere and look.
/// </summary>
internal struct HostVmState
{
    /// <summary>The index of the function running.</summary>
    public int Function;

    /// <summary>The offset of the next instruction in its code.</summary>
    public int Pc;

    /// <summary>The next free slot of <see cref="Slots"/> (the top of the current operand stack).</summary>
    public int Sp;

    /// <summary>Where the current frame's locals start in <see cref="Slots"/>.</summary>
    public int Locals;

    /// <summary>How many frames are live (the entry function's is frame 0).</summary>
    public int Depth;

    /// <summary>Instructions executed.</summary>
    public long Steps;

    /// <summary>Heap words allocated so far (each array: its length plus one).</summary>
    public long HeapWords;

    /// <summary>The entry function's return value, once finished without error.</summary>
    public int Result;

    /// <summary>Why the program stopped early, or null.</summary>
    public RuntimeError? Error;

    /// <summary>Whether the program returned from its entry function or stopped on an error.</summary>
    public bool Stopped;

    /// <summary>The call frames; entries 0 to <see cref="Depth"/> - 1 are live.</summary>
    public HostFrame[] Frames;

    /// <summary>Locals and operand stacks of every frame, each frame's locals followed by its operand stack.</summary>
    public int[] Slots;

    /// <summary>The arrays; a reference is its index here plus one (0 is never a reference).</summary>
    public List<int[]> Heap;

    /// <summary>What the program printed.</summary>
    public MemoryStream Printed;

    /// <summary>The state before the entry function's first instruction.</summary>
    public static HostVmState AtEntry(Format.BytecodeModule module)
    {
        var entry = module.Functions[module.Entry];
        var state = new HostVmState
        {
            Function = module.Entry,
            Sp = entry.Locals,
            Depth = 1,
            Frames = new HostFrame[VmLimits.CallDepth],
            Slots = new int[Math.Max(4096, entry.Locals + entry.MaxStack)],
            Heap = [],
            Printed = new MemoryStream(),
        };
        state.Frames[0] = new HostFrame(module.Entry, 0, 0);
        return state;
    }
}

/// <summary>A call frame: its function, where it continues when its callee returns, and where its locals start.</summary>
internal readonly record struct HostFrame(int Function, int ReturnPc, int Locals);
