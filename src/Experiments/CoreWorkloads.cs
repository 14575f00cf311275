using System.Runtime.CompilerServices;

namespace VirtualizationWorkbench.Experiments;

/// <summary>The workloads of <c>workbench bench</c>. Each guest leaves its answer in r3 and halts.</summary>
public static class CoreWorkloads
{
    public static IReadOnlyList<CoreWorkload> All { get; } =
    [
        new("integer", "xorshift mixing in registers (9 instructions per iteration)", IntegerSource, IntegerNative, 20_000_000),
        new("memcopy", "copy a 64 KiB buffer word by word, again and again (6 per word)", MemoryCopySource, MemoryCopyNative, 400),
        new("calls", "call a one-instruction function and return (5 per iteration)", CallsSource, CallsNative, 10_000_000),
        new("syscall", "ring-3 loop of int 0x80 into a ring-0 handler and iret back (7 per iteration)", SyscallSource, SyscallNative, 2_000_000),
        new("pagefault", "touch a non-present page, map it in the #PF handler, unmap it, repeat (10 per iteration)", PageFaultSource, PageFaultNative, 1_000_000),
    ];

    private static string IntegerSource(int n) => $"""
            li r1, 0x12345678
            li r2, {n}
            li r3, 0
        loop:
            shli r4, r1, 13
            xor r1, r1, r4
            shri r4, r1, 17
            xor r1, r1, r4
            shli r4, r1, 5
            xor r1, r1, r4
            add r3, r3, r1
            subi r2, r2, 1
            jne loop
            hlt
        """;

    private static uint IntegerNative(int n)
    {
        uint x = 0x12345678, sum = 0;
        for (var i = n; i != 0; i--)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            sum += x;
        }
        return sum;
    }

    private const int CopyWords = 16384;

    private static string MemoryCopySource(int rounds) => $"""
            li r7, {rounds}
            li r3, 0
            ; fill the source with its own indices
            li r1, 0x100000
            li r2, 0
        fill:
            st [r1], r2
            addi r1, r1, 4
            addi r2, r2, 1
            cmpi r2, {CopyWords}
            jne fill
        round:
            li r1, 0x100000
            li r2, 0x200000
            li r6, {CopyWords}
        copy:
            ld r5, [r1]
            st [r2], r5
            addi r1, r1, 4
            addi r2, r2, 4
            subi r6, r6, 1
            jne copy
            ld r5, [r2 - 4]
            add r3, r3, r5
            subi r7, r7, 1
            jne round
            hlt
        """;

    private static uint MemoryCopyNative(int rounds)
    {
        var source = new uint[CopyWords];
        var target = new uint[CopyWords];
        for (var i = 0; i < CopyWords; i++) source[i] = (uint)i;
        uint sum = 0;
        for (var r = rounds; r != 0; r--)
        {
            for (var i = 0; i < CopyWords; i++) target[i] = source[i];
            sum += target[CopyWords - 1];
        }
        return sum;
    }

    private static string CallsSource(int n) => $"""
            li r2, {n}
            li r3, 0
        loop:
            call bump
            subi r2, r2, 1
            jne loop
            hlt
        bump:
            addi r3, r3, 1
            ret
        """;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static uint Bump(uint x) => x + 1;

    private static uint CallsNative(int n)
    {
        uint sum = 0;
        for (var i = n; i != 0; i--) sum = Bump(sum);
        return sum;
    }

    // Ring 0 installs a system-call gate and drops to ring 3 with iret; ring 3 counts down with int 0x80.
    private static string SyscallSource(int n) => $"""
            li r1, idt
            lidt r1
            li r1, idt + 0x80 * 8
            li r2, handler
            st [r1], r2
            li r2, 15                 ; present | interrupt gate | ring 3 may call
            st [r1 + 4], r2
            li r1, 0x80000
            mov ksp, r1
            li r3, 0
            li r2, {n}
            ; enter ring 3 at user with an iret frame: error, pc, flags, sp
            li r1, 0x70000
            push r1
            li r1, 0x3000
            push r1
            li r1, user
            push r1
            li r1, 0
            push r1
            iret
        user:
            int 0x80
            subi r2, r2, 1
            jne user
            int 0x80                  ; r2 = 0: the handler stops the machine
        handler:
            cmpi r2, 0
            je done
            addi r3, r3, 1
            iret
        done:
            hlt
            .align 8
        idt:
            .space 256 * 8
        """;

    private interface ICounter
    {
        uint Next(uint x);
    }

    private sealed class Counter : ICounter
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public uint Next(uint x) => x + 1;
    }

    // The nearest plain-C# shape: a call through an interface into a handler that bumps the count.
    private static uint SyscallNative(int n)
    {
        ICounter counter = new Counter();
        uint count = 0;
        for (var i = n; i != 0; i--) count = counter.Next(count);
        return count;
    }

    // Paging on, identity map of the first 4 MiB; page 0x300000 starts not present. Each iteration loads from
    // it (fault), the handler marks it present and returns to retry the load, then the loop unmaps it again.
    private static string PageFaultSource(int n) => $"""
            li sp, 0x80000                  ; inside the mapped 4 MiB
            li r1, idt
            lidt r1
            li r1, idt + 14 * 8
            li r2, handler
            st [r1], r2
            li r2, 3
            st [r1 + 4], r2
            ; page table at 0x101000: identity map, page 0x300 not present
            li r1, 0x101000
            li r2, 0
        map:
            shli r4, r2, 12
            ori r4, r4, 3
            shli r5, r2, 2
            add r5, r1, r5
            st [r5], r4
            addi r2, r2, 1
            cmpi r2, 1024
            jne map
            li r7, 0x101000 + 0x300 * 4     ; the PTE of page 0x300000
            li r4, 0
            st [r7], r4
            li r1, 0x100000
            li r4, 0x101003
            st [r1], r4
            mov cr3, r1
            li r1, 1
            mov cr0, r1
            li r6, 0x300000
            li r2, {n}
            li r3, 0
        loop:
            ld r5, [r6]
            li r4, 0
            st [r7], r4
            invlpg r6
            subi r2, r2, 1
            jne loop
            hlt
        handler:
            li r4, 0x300003
            st [r7], r4
            addi r3, r3, 1
            iret
            .align 8
        idt:
            .space 256 * 8
        """;

    private sealed class PageTable
    {
        public readonly uint[] Entries = new uint[1024];
        public uint Faults;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void HandleFault(int page)
        {
            Entries[page] = (uint)page << 12 | 3;
            Faults++;
        }
    }

    private static uint PageFaultNative(int n)
    {
        var table = new PageTable();
        uint last = 0;
        for (var i = n; i != 0; i--)
        {
            if ((table.Entries[0x300] & 1) == 0) table.HandleFault(0x300);
            last = table.Entries[0x300];
            table.Entries[0x300] = 0;
        }
        return table.Faults + (last & 0);
    }
}
