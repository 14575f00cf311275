namespace VirtualizationWorkbench.Containers;

/// <summary>
/// The system calls of the container kernel (number in r0, arguments in r1-r3, result in r0; labs/guests/containers/lib.s
/// names them for guest programs). 1-4 are the minikernel's and lab 01's.
/// </summary>
public enum SystemCall
{
    /// <summary>write(buffer, length) -> length, to the container's console.</summary>
    Write = 1,
    /// <summary>yield(): give up the rest of the time slice.</summary>
    Yield = 2,
    /// <summary>getpid() -> the pid as the caller's pid namespace numbers it.</summary>
    GetPid = 3,
    /// <summary>exit(code).</summary>
    Exit = 4,
    /// <summary>fork() -> the child's pid in the parent, 0 in the child; EAGAIN at pids.max.</summary>
    Fork = 5,
    /// <summary>exec(command line): replace the program; words after the path are its arguments (the new program
    /// starts with r1 pointing at them, 0 when there are none).</summary>
    Exec = 6,
    /// <summary>wait() -> a finished child's pid, its exit code in r1; ECHILD without children.</summary>
    Wait = 7,
    /// <summary>getppid() -> the parent's pid, 0 if the parent is outside the caller's pid namespace.</summary>
    GetParentPid = 8,
    /// <summary>kill(pid): ESRCH unless the caller's pid namespace has that pid.</summary>
    Kill = 9,
    /// <summary>sbrk(bytes) -> the old end of the heap; the pages are given (and charged) on first touch.</summary>
    Sbrk = 10,
    /// <summary>gethostname(buffer, length) -> length: the UTS namespace's name.</summary>
    GetHostname = 11,
    /// <summary>sethostname(buffer, length): renames the UTS namespace only.</summary>
    SetHostname = 12,
    /// <summary>mkdir(path).</summary>
    MakeDirectory = 13,
    /// <summary>chdir(path).</summary>
    ChangeDirectory = 14,
    /// <summary>chroot(path): changes the root of path lookups, and nothing else (not the current directory).</summary>
    ChangeRoot = 15,
    /// <summary>readfile(path, buffer, length) -> bytes read.</summary>
    ReadFile = 16,
    /// <summary>writefile(path, buffer, length) -> length: creates or replaces the file (copy-on-write over the image).</summary>
    WriteFile = 17,
    /// <summary>getcwd(buffer, length) -> length.</summary>
    GetCwd = 18,
    /// <summary>listpids(buffer, max) -> how many pids the caller can see; writes up to max of them.</summary>
    ListPids = 19,
    /// <summary>bind(port): receive what is sent to the port in the caller's network namespace.</summary>
    Bind = 20,
    /// <summary>sendto(address, port, value).</summary>
    SendTo = 21,
    /// <summary>recv() -> the next value sent to a bound port (blocks).</summary>
    Receive = 22,
    /// <summary>msgsnd(key, value): a message queue of the caller's IPC namespace.</summary>
    MessageSend = 23,
    /// <summary>msgrcv(key) -> value (blocks).</summary>
    MessageReceive = 24,
    /// <summary>Stands for a bug in the shared kernel (a bad pointer in a driver): the kernel panics.</summary>
    KernelBug = 99,
}
