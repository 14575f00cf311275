using System.Text;

namespace VirtualizationWorkbench.Emulation.UserMode;

/// <summary>
/// The Linux system calls of a user-mode RV32 process, translated into host calls (what qemu-riscv32 does,
/// and, for another operating system's interface, Wine). Dispatch through a table by number (a7), with an
/// explicit fallback: an unknown call returns -ENOSYS, as Linux does, and is counted.
/// </summary>
public static class LinuxSystemCalls
{
    /// <summary>Numbers of the generic Linux system call table RISC-V uses.</summary>
    public const uint Ioctl = 29, Close = 57, Read = 63, Write = 64, Writev = 66, Fstat = 80, Exit = 93, ExitGroup = 94,
        SetTidAddress = 96, Getpid = 172, Brk = 214, Munmap = 215, Mmap = 222;

    /// <summary>Linux error numbers returned negated in a0.</summary>
    public const int Ebadf = 9, Enotty = 25, Einval = 22, Enosys = 38, Enomem = 12, Efault = 14;

    private static readonly Dictionary<uint, Func<LinuxProcess, uint, uint, uint, int>> Table = new()
    {
        [Read] = (p, fd, buffer, length) => p.ReadInput(fd, buffer, length),
        [Write] = (p, fd, buffer, length) => p.WriteOutput(fd, buffer, length),
        [Writev] = (p, fd, vector, count) => p.WriteVector(fd, vector, count),
        [Exit] = (p, code, _, _) => p.ExitWith((int)code),
        [ExitGroup] = (p, code, _, _) => p.ExitWith((int)code),
        [Brk] = (p, address, _, _) => (int)p.SetBreak(address),
        [Close] = (_, fd, _, _) => fd <= 2 ? 0 : -Ebadf,
        [Ioctl] = (_, fd, _, _) => fd <= 2 ? -Enotty : -Ebadf,
        [Fstat] = (_, fd, _, _) => fd <= 2 ? -Enosys : -Ebadf,
        [SetTidAddress] = (_, _, _, _) => 1,
        [Getpid] = (_, _, _, _) => 1,
        [Mmap] = (_, _, _, _) => -Enomem,
        [Munmap] = (_, _, _, _) => -Einval,
    };

    /// <summary>The name of a system call number, for messages and statistics.</summary>
    public static string NameOf(uint number) => number switch
    {
        Ioctl => "ioctl",
        Close => "close",
        Read => "read",
        Write => "write",
        Writev => "writev",
        Fstat => "fstat",
        Exit => "exit",
        ExitGroup => "exit_group",
        SetTidAddress => "set_tid_address",
        Getpid => "getpid",
        Brk => "brk",
        Munmap => "munmap",
        Mmap => "mmap",
        _ => $"system call {number}",
    };

    /// <summary>Runs system call <paramref name="number"/> for <paramref name="process"/> and returns a0.</summary>
    internal static int Dispatch(LinuxProcess process, uint number, uint a0, uint a1, uint a2) =>
        Table.TryGetValue(number, out var call) ? call(process, a0, a1, a2) : process.Unknown(number);

    /// <summary>"write 3, exit_group 1": system calls by name with their counts, in number order.</summary>
    public static string Describe(IReadOnlyDictionary<uint, long> counts)
    {
        var text = new StringBuilder();
        foreach (var (number, count) in counts.OrderBy(pair => pair.Key))
        {
            if (text.Length > 0) text.Append(", ");
            text.Append(NameOf(number)).Append(' ').Append(count);
        }
        return text.ToString();
    }
}
