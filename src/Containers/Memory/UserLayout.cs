namespace VirtualizationWorkbench.Containers.Memory;

/// <summary>
/// Where things are in every process's (virtual) address space. The kernel is host code, so nothing of it is
/// mapped here; a process sees only its own pages, through its own page directory.
/// <code>
///   0x0000_0000  +---------------------------+
///                | unmapped (null page)      |
///   0x0000_1000  +---------------------------+  CodeBase
///                | program (from its file,   |  file-backed: read in on first touch,
///                | code and data)            |  dropped again by reclaim while clean
///   0x0010_0000  +---------------------------+  HeapBase
///                | heap, grows with sbrk ^   |  anonymous: zeroed on first touch
///   0x0070_0000  +---------------------------+  HeapLimit
///                | unmapped                  |
///   0x0078_0000  +---------------------------+  StackLimit
///                | stack, grows down v       |  anonymous
///   0x0080_0000  +---------------------------+  StackTop
/// </code>
/// </summary>
public static class UserLayout
{
    /// <summary>Bytes in a page and a frame.</summary>
    public const uint PageSize = 4096;

    /// <summary>The lowest address a program may occupy.</summary>
    public const uint CodeBase = 0x0000_1000;

    /// <summary>Where the heap starts (and the program must end).</summary>
    public const uint HeapBase = 0x0010_0000;

    /// <summary>How far sbrk may grow the heap.</summary>
    public const uint HeapLimit = 0x0070_0000;

    /// <summary>The lowest address of the stack.</summary>
    public const uint StackLimit = 0x0078_0000;

    /// <summary>One past the top of the stack: a new process's sp.</summary>
    public const uint StackTop = 0x0080_0000;

    /// <summary>The page that holds <paramref name="address"/>.</summary>
    public static uint PageOf(uint address) => address & ~(PageSize - 1);
}
