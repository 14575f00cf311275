using System.Runtime.CompilerServices;

namespace VirtualizationWorkbench.Machine.Cpu;

/// <summary>The sixteen general registers r0-r15. r15 is the stack pointer (<c>sp</c>).</summary>
[InlineArray(16)]
public struct RegisterFile
{
    private uint _r0;
}

/// <summary>
/// The architectural state of one core: everything an instruction can read or write, nothing else.
/// Plain data, no logic: snapshots copy it and a hardware-assisted hypervisor swaps it on VM entry and exit.
/// </summary>
public struct CpuState
{
    /// <summary>General registers; <c>R[15]</c> is the stack pointer.</summary>
    public RegisterFile R;

    /// <summary>Program counter: the address of the next instruction.</summary>
    public uint Pc;

    /// <summary>Flags, in x86 positions: C bit 0, Z bit 6, N bit 7, IF bit 9, V bit 11; bits 12-13 hold the
    /// current privilege level (where x86 keeps IOPL). See <see cref="Flags"/>.</summary>
    public uint Flags;

    /// <summary>cr0: bit 0 PG enables paging.</summary>
    public uint Cr0;

    /// <summary>cr2: the linear address of the last page fault.</summary>
    public uint Cr2;

    /// <summary>cr3: physical address of the page directory.</summary>
    public uint Cr3;

    /// <summary>cr4 (<c>ksp</c>): the ring-0 stack pointer loaded when an interrupt arrives from rings 1-3,
    /// the role the TSS's esp0 plays on x86.</summary>
    public uint Ksp;

    /// <summary>cr8: task priority. Interrupt vectors whose priority class (vector / 16) is at or below it
    /// are held pending.</summary>
    public uint Cr8;

    /// <summary>Interrupt-table base (x86's IDTR), loaded by <c>lidt</c>, revealed by <c>sidt</c>.</summary>
    public uint Idtr;

    /// <summary>The current privilege level, 0 (kernel) to 3 (user).</summary>
    public readonly int Cpl => (int)((Flags >> Cpu.Flags.CplShift) & 3);
}

/// <summary>Bit positions in <see cref="CpuState.Flags"/>.</summary>
public static class Flags
{
    /// <summary>Carry (unsigned overflow; borrow on subtraction).</summary>
    public const uint C = 1u << 0;
    /// <summary>Zero.</summary>
    public const uint Z = 1u << 6;
    /// <summary>Negative (sign).</summary>
    public const uint N = 1u << 7;
    /// <summary>Interrupt enable.</summary>
    public const uint IF = 1u << 9;
    /// <summary>Signed overflow.</summary>
    public const uint V = 1u << 11;
    /// <summary>Shift of the two-bit current privilege level.</summary>
    public const int CplShift = 12;
    /// <summary>Mask of the current privilege level.</summary>
    public const uint CplMask = 3u << CplShift;
    /// <summary>The arithmetic flags.</summary>
    public const uint Arithmetic = C | Z | N | V;
    /// <summary>Every flag <c>popf</c> may change in ring 0 (never the ring itself).</summary>
    public const uint PopfWritable = Arithmetic | IF;

    /// <summary>Text such as <c>Z N IF ring 3</c>, for listings and the inspector.</summary>
    public static string Describe(uint flags)
    {
        var parts = new List<string>(6);
        if ((flags & C) != 0) parts.Add("C");
        if ((flags & Z) != 0) parts.Add("Z");
        if ((flags & N) != 0) parts.Add("N");
        if ((flags & V) != 0) parts.Add("V");
        if ((flags & IF) != 0) parts.Add("IF");
        parts.Add($"ring {(flags >> CplShift) & 3}");
        return string.Join(' ', parts);
    }
}

/// <summary>Control-register numbers as the <c>mov crN</c> instructions encode them.</summary>
public static class ControlRegister
{
    /// <summary>cr0: paging enable.</summary>
    public const int Cr0 = 0;
    /// <summary>cr2: page-fault address.</summary>
    public const int Cr2 = 2;
    /// <summary>cr3: page-directory base.</summary>
    public const int Cr3 = 3;
    /// <summary>cr4, also written <c>ksp</c>: the ring-0 stack for interrupts from lower rings.</summary>
    public const int Ksp = 4;
    /// <summary>cr8: task priority.</summary>
    public const int Cr8 = 8;
    /// <summary>cr0 bit 0: paging on.</summary>
    public const uint PagingEnabled = 1;

    /// <summary>Whether <paramref name="n"/> names a control register.</summary>
    public static bool Exists(int n) => n is Cr0 or Cr2 or Cr3 or Ksp or Cr8;
}
