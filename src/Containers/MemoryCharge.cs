using System.Text;
using VirtualizationWorkbench.Containers.ControlGroups;
using VirtualizationWorkbench.Containers.Filesystem;
using VirtualizationWorkbench.Containers.Memory;
using VirtualizationWorkbench.Containers.Namespaces;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Containers;

/// <summary>
/// Memory: exec builds an empty address space; pages arrive on first touch (a page fault) and each frame is
/// charged to the process's control group. A charge over memory.max first reclaims — drops clean file-backed
/// pages of the group, which can be read again from the program — and only when that is not enough invokes the
/// OOM killer <b>in that group</b>: the process holding the most frames dies, and no other group is touched.
/// When the machine itself runs out of frames, the same happens across every process: the shared kernel's one
/// failure domain.
/// </summary>
public sealed partial class Kernel
{
    /// <summary>The most bytes of arguments a command line may carry (they are copied to the top of the stack).</summary>
    public const int ArgumentsLimit = 255;

    /// <summary>
    /// Replaces the program of <paramref name="process"/> with the command line <paramref name="commandLine"/>
    /// (<c>/bin/kill 3</c>: the program's path, then its arguments); returns why not, or null. The arguments, one
    /// space between words, are copied NUL-terminated to the top of the new stack and r1 points at them (r1 = 0
    /// when there are none), as a kernel lays out argv for the C runtime's start.
    /// </summary>
    private string? Exec(Process process, string commandLine)
    {
        var (path, arguments) = SplitCommandLine(commandLine);
        if (arguments.Length > ArgumentsLimit) return $"{path}: arguments longer than {ArgumentsLimit} characters";
        var (node, error) = NamespaceLookup.Resolve(process, path);
        if (node is null) return $"{path}: {Describe(error)}";
        if (node is not FsFile file) return $"{path}: is a directory";
        ProgramImage program;
        try
        {
            program = ProgramImage.Parse(file.Content, path);
        }
        catch (FormatException e)
        {
            return $"{path}: not a program ({e.Message})";
        }
        if (program.Segments.Any(s => s.Address < UserLayout.CodeBase || (ulong)s.Address + (ulong)s.Bytes.Length > UserLayout.HeapBase))
        {
            return $"{path}: its code must lie in 0x{UserLayout.CodeBase:x}-0x{UserLayout.HeapBase:x} (start it with .org 0x1000)";
        }
        core.Charge(Costs.Exec);
        ReleaseMemory(process);
        var directory = ChargeFrame(process);
        if (directory is null) return "out of memory";
        process.Memory = new AddressSpace(Computer.Memory, directory.Value);
        process.Program = program;
        process.Command = arguments.Length == 0 ? path : $"{path} {arguments}";
        process.Break = UserLayout.HeapBase;
        process.Cpu = default;
        process.Cpu.Pc = program.Entry;
        process.Cpu.Flags = 3u << Flags.CplShift;
        process.Cpu.Cr0 = 1;
        process.Cpu.Cr3 = directory.Value;
        process.Cpu.R[15] = UserLayout.StackTop;
        if (arguments.Length > 0)
        {
            // Word-aligned below the stack top; the stack page is faulted in (and charged) here, not later.
            var at = (UserLayout.StackTop - (uint)arguments.Length - 1) & ~3u;
            if (!WriteUser(process, at, Encoding.ASCII.GetBytes(arguments + "\0"))) return "out of memory";
            process.Cpu.R[1] = at;
            process.Cpu.R[15] = at;
        }
        return null;
    }

    /// <summary>The program's path and its arguments (words joined by one space) of <paramref name="commandLine"/>.</summary>
    internal static (string Path, string Arguments) SplitCommandLine(string commandLine)
    {
        var words = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? ("", "") : (words[0], string.Join(' ', words[1..]));
    }

    /// <summary>Serves a page fault at <paramref name="address"/>: maps a page if the address is the program's,
    /// the heap's or the stack's; else kills the process (a segmentation fault). Returns false if it died.</summary>
    private bool HandlePageFault(Process process, uint address, uint errorCode, uint pc)
    {
        const uint protection = 1;
        var page = UserLayout.PageOf(address);
        var fileBacked = process.Program!.Segments.Any(s => page < s.Address + (uint)s.Bytes.Length && s.Address < page + UserLayout.PageSize);
        var anonymous = (address >= UserLayout.HeapBase && address < process.Break) || (address >= UserLayout.StackLimit && address < UserLayout.StackTop);
        if ((errorCode & protection) != 0 || !(fileBacked || anonymous))
        {
            End(process, 128 + 11, $"killed by a segmentation fault at pc 0x{pc:x8} (address 0x{address:x8})");
            return false;
        }
        return MapPage(process, page, fileBacked);
    }

    /// <summary>Gives <paramref name="page"/> a frame (and its page table one, if needed); file-backed pages are
    /// filled from the program. Returns false if the process died (OOM-killed) meanwhile.</summary>
    private bool MapPage(Process process, uint page, bool fileBacked)
    {
        var space = process.Memory!;
        if (space.NeedsTable(page))
        {
            var table = ChargeFrame(process);
            if (table is null) return false;
            space.AddTable(page, table.Value);
        }
        var frame = ChargeFrame(process);
        if (frame is null) return false;
        if (fileBacked)
        {
            foreach (var s in process.Program!.Segments)
            {
                var from = Math.Max(s.Address, page);
                var to = Math.Min(s.Address + (uint)s.Bytes.Length, page + UserLayout.PageSize);
                if (from < to) Computer.Memory.Write(frame.Value + (from - page), s.Bytes.AsSpan((int)(from - s.Address), (int)(to - from)));
            }
            core.Charge(Costs.PageCopy);
        }
        else core.Charge(Costs.PageZero);
        space.Map(page, frame.Value, fileBacked);
        return true;
    }

    /// <summary>
    /// One frame for <paramref name="process"/>, charged to its group: at memory.max, reclaim and then OOM-kill in
    /// the group until one page fits; when the machine has no free frame, the same across all processes.
    /// Returns null when <paramref name="process"/> itself was killed to make room, or nothing can be freed.
    /// </summary>
    private uint? ChargeFrame(Process process)
    {
        var group = process.Group;
        while (group.MemoryMaxPages is { } max && group.MemoryPages + 1 > max)
        {
            group.MemoryEventsMax++;
            if (!MakeRoom(group, group.MemoryPages + 1 - max, process) || !process.Alive) return null;
        }
        uint? frame;
        while ((frame = Frames.Allocate()) is null)
        {
            if (!MakeRoom(null, 1, process) || !process.Alive) return null;
        }
        group.MemoryPages++;
        return frame;
    }

    /// <summary>
    /// Frees at least <paramref name="pages"/> frames of <paramref name="group"/> (null: of the whole machine):
    /// reclaim first, then kill the process holding the most frames (ties: the youngest). Returns false if nothing
    /// could be freed.
    /// </summary>
    private bool MakeRoom(ControlGroup? group, ulong pages, Process? faulting)
    {
        var members = processes.Where(p => p.Alive && p.Memory is not null && (group is null || p.Group == group)).ToList();
        if (Reclaim(members, pages) >= pages) return true;
        if (group is not null) group.MemoryEventsOom++;
        var victim = members.Where(p => p.ResidentPages > 0).OrderByDescending(p => p.ResidentPages).ThenByDescending(p => p.HostPid).FirstOrDefault();
        if (victim is null) return false;
        if (group is not null) group.MemoryEventsOomKill++;
        var scope = group is null ? "the machine is out of memory" : $"memory.max of {(group.Name == "/" ? "the host" : group.Name)}";
        KernelMessage($"kernel: out of memory ({scope}): killed pid {victim.HostPid} {victim.Command}, {victim.ResidentPages} pages");
        End(victim, 128 + 9, $"killed by the OOM killer ({scope})");
        _ = faulting;
        return true;
    }

    /// <summary>Drops clean file-backed pages of <paramref name="members"/>, oldest process first, until
    /// <paramref name="pages"/> are free; returns how many it dropped. Dirty pages and anonymous pages stay: with no
    /// swap, they exist nowhere else.</summary>
    private ulong Reclaim(List<Process> members, ulong pages)
    {
        ulong freed = 0;
        foreach (var process in members)
        {
            var space = process.Memory!;
            foreach (var (page, resident) in space.Pages.ToList())
            {
                if (freed >= pages) break;
                if (!resident.FileBacked || space.IsDirty(page)) continue;
                Frames.Free(space.Unmap(page));
                process.Group.MemoryPages--;
                process.Group.PagesReclaimed++;
                freed++;
            }
        }
        if (freed > 0) core.FlushTlb();
        return freed;
    }

    /// <summary>Frees every frame of the process's address space and uncharges its group.</summary>
    private void ReleaseMemory(Process process)
    {
        if (process.Memory is not { } space) return;
        foreach (var frame in space.AllFrames())
        {
            Frames.Free(frame);
            process.Group.MemoryPages--;
        }
        process.Memory = null;
        core.FlushTlb();
    }

    // ---------------------------------------------------------------- user memory, for system calls

    /// <summary>The physical address of user byte <paramref name="address"/>, faulting its page in if the process
    /// may use it; null if it may not (EFAULT) or died doing so.</summary>
    private uint? UserByte(Process process, uint address, bool write)
    {
        if (process.Memory is null) return null;
        var page = UserLayout.PageOf(address);
        if (process.Memory.Translate(address) is null)
        {
            var fileBacked = process.Program!.Segments.Any(s => page < s.Address + (uint)s.Bytes.Length && s.Address < page + UserLayout.PageSize);
            var anonymous = (address >= UserLayout.HeapBase && address < process.Break) || (address >= UserLayout.StackLimit && address < UserLayout.StackTop);
            if (!(fileBacked || anonymous) || !MapPage(process, page, fileBacked)) return null;
        }
        if (write) process.Memory!.MarkDirty(page);
        return process.Memory!.Translate(address);
    }

    /// <summary>Copies <paramref name="length"/> bytes from the process; null if any of them is not its memory.</summary>
    private byte[]? ReadUser(Process process, uint address, uint length)
    {
        if ((ulong)address + length > UserLayout.StackTop) return null;
        var bytes = new byte[length];
        for (uint i = 0; i < length; i++)
        {
            if (UserByte(process, address + i, write: false) is not { } physical) return null;
            bytes[i] = Computer.Memory.ReadByte(physical);
        }
        return bytes;
    }

    /// <summary>Copies <paramref name="bytes"/> into the process; false if any of them is not its memory.</summary>
    private bool WriteUser(Process process, uint address, ReadOnlySpan<byte> bytes)
    {
        if ((ulong)address + (ulong)bytes.Length > UserLayout.StackTop) return false;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (UserByte(process, address + (uint)i, write: true) is not { } physical) return false;
            Computer.Memory.Slice(physical, 1)[0] = bytes[i];
        }
        return true;
    }

    /// <summary>A NUL-terminated string of at most 255 bytes from the process; null if it is not its memory or
    /// has no NUL.</summary>
    private string? ReadUserString(Process process, uint address)
    {
        var text = new System.Text.StringBuilder();
        for (uint i = 0; i < 256; i++)
        {
            if (UserByte(process, address + i, write: false) is not { } physical) return null;
            var b = Computer.Memory.ReadByte(physical);
            if (b == 0) return text.ToString();
            text.Append((char)b);
        }
        return null;
    }

    private static string Describe(Errno error) => error switch
    {
        Errno.ENOENT => "no such file or directory",
        Errno.ENOTDIR => "a part of the path is not a directory",
        _ => error.ToString(),
    };
}
