namespace VirtualizationWorkbench.Containers;

/// <summary>The error numbers a system call returns, negated in r0, with Linux's values so that a student can look
/// each one up in errno(3).</summary>
public enum Errno
{
    /// <summary>Operation not permitted.</summary>
    EPERM = 1,
    /// <summary>No such file or directory.</summary>
    ENOENT = 2,
    /// <summary>No such process (none this process can see).</summary>
    ESRCH = 3,
    /// <summary>Not an executable program.</summary>
    ENOEXEC = 8,
    /// <summary>No children to wait for.</summary>
    ECHILD = 10,
    /// <summary>Try again: a limit (pids.max) is reached.</summary>
    EAGAIN = 11,
    /// <summary>Out of memory.</summary>
    ENOMEM = 12,
    /// <summary>Bad address: the buffer is not the process's memory.</summary>
    EFAULT = 14,
    /// <summary>The name exists already.</summary>
    EEXIST = 17,
    /// <summary>A path component is not a directory.</summary>
    ENOTDIR = 20,
    /// <summary>It is a directory.</summary>
    EISDIR = 21,
    /// <summary>Invalid argument.</summary>
    EINVAL = 22,
    /// <summary>No such system call.</summary>
    ENOSYS = 38,
    /// <summary>The port is taken in this network namespace.</summary>
    EADDRINUSE = 98,
    /// <summary>Nothing listens on that port.</summary>
    ECONNREFUSED = 111,
    /// <summary>No route: the address is not reachable from this network namespace.</summary>
    EHOSTUNREACH = 113,
}
