using System.Text;
using VirtualizationWorkbench.Containers.Filesystem;
using VirtualizationWorkbench.Containers.Memory;
using VirtualizationWorkbench.Containers.Namespaces;

namespace VirtualizationWorkbench.Containers;

/// <summary>
/// The system-call table. Each call reads its arguments from the caller's saved registers (r1-r3) and leaves its
/// result in r0: a value, or a negative <see cref="Errno"/>. Anything that names a pid, a path, the hostname, an
/// address or a queue goes through <see cref="NamespaceLookup"/>.
/// </summary>
public sealed partial class Kernel
{
    /// <summary>Serves the system call <paramref name="process"/> just made (its registers are in
    /// <see cref="Process.Cpu"/>, the pc past <c>int 0x80</c>). Returns true if it gives up its time slice.</summary>
    private bool Serve(Process process)
    {
        core.Charge(Costs.SystemCall);
        ref var r = ref process.Cpu.R;
        uint a1 = r[1], a2 = r[2], a3 = r[3];
        var call = (SystemCall)r[0];
        int result = call switch
        {
            SystemCall.Write => Write(process, a1, a2),
            SystemCall.Yield => 0,
            SystemCall.GetPid => NamespaceLookup.PidAsSeenBy(process, process),
            SystemCall.Exit => ExitCall(process, (int)a1),
            SystemCall.Fork => Fork(process),
            SystemCall.Exec => ExecCall(process, a1),
            SystemCall.Wait => Wait(process),
            SystemCall.GetParentPid => process.Parent is { } parent ? NamespaceLookup.PidAsSeenBy(process, parent) : 0,
            SystemCall.Kill => KillCall(process, (int)a1),
            SystemCall.Sbrk => Sbrk(process, (int)a1),
            SystemCall.GetHostname => CopyOut(process, a1, a2, NamespaceLookup.Uts(process).Hostname),
            SystemCall.SetHostname => SetHostname(process, a1, a2),
            SystemCall.MakeDirectory => MakeDirectory(process, a1),
            SystemCall.ChangeDirectory => ChangeDirectory(process, a1, chroot: false),
            SystemCall.ChangeRoot => ChangeDirectory(process, a1, chroot: true),
            SystemCall.ReadFile => ReadFile(process, a1, a2, a3),
            SystemCall.WriteFile => WriteFile(process, a1, a2, a3),
            SystemCall.GetCwd => CopyOut(process, a1, a2, NamespaceLookup.PathAsSeenBy(process, process.Cwd)),
            SystemCall.ListPids => ListPids(process, a1, a2),
            SystemCall.Bind => Bind(process, (int)a1),
            SystemCall.SendTo => SendTo(process, a1, (int)a2, a3),
            SystemCall.Receive => Receive(process),
            SystemCall.MessageSend => MessageSend(process, (int)a1, a2),
            SystemCall.MessageReceive => MessageReceive(process, (int)a1),
            SystemCall.KernelBug => KernelBug(process),
            _ => -(int)Errno.ENOSYS,
        };
        if (process.Alive && process.State != ProcessState.Zombie) r[0] = (uint)result;
        return call == SystemCall.Yield || process.State != ProcessState.Runnable;
    }

    private static int Fail(Errno error) => -(int)error;

    private int Write(Process process, uint buffer, uint length)
    {
        if (length > 4096) return Fail(Errno.EINVAL);
        if (ReadUser(process, buffer, length) is not { } bytes) return Fail(Errno.EFAULT);
        if (process.Container is { } container) container.Write(bytes, Now);
        else if (hostConsole.Length < Container.ConsoleLimit) hostConsole.Append(Encoding.ASCII.GetString(bytes));
        return (int)length;
    }

    private int ExitCall(Process process, int code)
    {
        End(process, code, $"exited with code {code}");
        return 0;
    }

    private int Fork(Process parent)
    {
        var group = parent.Group;
        if (group.Limits.PidsMax is { } max && group.PidsCurrent >= max)
        {
            group.PidsEventsMax++;
            return Fail(Errno.EAGAIN);
        }
        if (processes.Count >= 4096) return Fail(Errno.EAGAIN);
        var child = NewProcess(parent, parent.Namespaces, group, parent.Root, parent.Container);
        child.Cwd = parent.Cwd;
        child.Program = parent.Program;
        child.Command = parent.Command;
        child.Break = parent.Break;
        child.Cpu = parent.Cpu;
        child.Cpu.R[0] = 0;
        // The child gets a copy of every resident page (this kernel copies at fork; Linux shares them
        // copy-on-write), each frame charged to the group like any other.
        var directory = ChargeFrame(parent);
        if (directory is null || !parent.Alive) return AbortFork(parent, child);
        child.Memory = new AddressSpace(Computer.Memory, directory.Value);
        child.Cpu.Cr3 = directory.Value;
        foreach (var (page, resident) in parent.Memory!.Pages.ToList())
        {
            if (!parent.Alive || parent.Memory is null || !parent.Memory.Pages.ContainsKey(page)) continue;
            if (!MapPage(child, page, resident.FileBacked) || !parent.Alive) return AbortFork(parent, child);
            var from = parent.Memory.Translate(page)!.Value;
            var to = child.Memory.Translate(page)!.Value;
            Computer.Memory.Slice(from, UserLayout.PageSize).CopyTo(Computer.Memory.Slice(to, UserLayout.PageSize));
            if (parent.Memory.IsDirty(page)) child.Memory.MarkDirty(page);
            core.Charge(Costs.PageCopy);
        }
        return NamespaceLookup.PidAsSeenBy(parent, child);
    }

    private int AbortFork(Process parent, Process child)
    {
        End(child, 128 + 9, "fork failed: out of memory");
        if (child.State == ProcessState.Zombie) Reap(child);
        return Fail(Errno.ENOMEM);
    }

    private int ExecCall(Process process, uint pathAddress)
    {
        if (ReadUserString(process, pathAddress) is not { } path) return Fail(Errno.EFAULT);
        var (node, error) = NamespaceLookup.Resolve(process, SplitCommandLine(path).Path);
        if (node is null) return Fail(error);
        if (node is not FsFile) return Fail(Errno.EISDIR);
        if (Exec(process, path) is not null)
        {
            if (!process.Alive) return 0;
            End(process, 127, $"exec of {path} failed");
            return 0;
        }
        return 0;
    }

    private int Wait(Process process)
    {
        if (process.Children.Count == 0) return Fail(Errno.ECHILD);
        if (process.Children.FirstOrDefault(c => c.State == ProcessState.Zombie) is { } zombie)
        {
            var pid = NamespaceLookup.PidAsSeenBy(process, zombie);
            process.Cpu.R[1] = (uint)zombie.ExitCode;
            Reap(zombie);
            return pid;
        }
        process.State = ProcessState.WaitingForChild;
        return 0;
    }

    /// <summary>Completes the wait() of <paramref name="parent"/> with <paramref name="child"/>, which just ended.</summary>
    private void CompleteWait(Process parent, Process child)
    {
        parent.Cpu.R[0] = (uint)NamespaceLookup.PidAsSeenBy(parent, child);
        parent.Cpu.R[1] = (uint)child.ExitCode;
        parent.State = ProcessState.Runnable;
        Reap(child);
    }

    private int KillCall(Process process, int pid)
    {
        if (NamespaceLookup.ProcessByPid(process, pid) is not { } target || !target.Alive) return Fail(Errno.ESRCH);
        if (NamespaceLookup.IgnoresKillFrom(target, process)) return 0;
        End(target, 128 + 9, $"killed by pid {NamespaceLookup.PidAsSeenBy(target, process)}");
        return 0;
    }

    private int Sbrk(Process process, int bytes)
    {
        var old = process.Break;
        var end = (long)old + bytes;
        if (end < UserLayout.HeapBase || end > UserLayout.HeapLimit) return Fail(Errno.ENOMEM);
        process.Break = (uint)end;
        return (int)old;
    }

    private int CopyOut(Process process, uint buffer, uint length, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text + "\0");
        if (length < bytes.Length) return Fail(Errno.EINVAL);
        return WriteUser(process, buffer, bytes) ? bytes.Length - 1 : Fail(Errno.EFAULT);
    }

    private int SetHostname(Process process, uint buffer, uint length)
    {
        if (length is 0 or > 64) return Fail(Errno.EINVAL);
        if (ReadUser(process, buffer, length) is not { } bytes) return Fail(Errno.EFAULT);
        NamespaceLookup.Uts(process).Hostname = Encoding.ASCII.GetString(bytes);
        return 0;
    }

    private int MakeDirectory(Process process, uint pathAddress)
    {
        if (ReadUserString(process, pathAddress) is not { } path) return Fail(Errno.EFAULT);
        var slash = path.TrimEnd('/').LastIndexOf('/');
        var name = path.TrimEnd('/')[(slash + 1)..];
        if (name is "" or "." or "..") return Fail(Errno.EEXIST);
        var parentPath = slash < 0 ? "." : slash == 0 ? "/" : path[..slash];
        var (node, error) = NamespaceLookup.Resolve(process, parentPath);
        if (node is null) return Fail(error);
        if (node is not FsDirectory dir) return Fail(Errno.ENOTDIR);
        if (dir.Children.ContainsKey(name)) return Fail(Errno.EEXIST);
        dir.Directory(name);
        return 0;
    }

    private int ChangeDirectory(Process process, uint pathAddress, bool chroot)
    {
        if (ReadUserString(process, pathAddress) is not { } path) return Fail(Errno.EFAULT);
        var (node, error) = NamespaceLookup.Resolve(process, path);
        if (node is null) return Fail(error);
        if (node is not FsDirectory dir) return Fail(Errno.ENOTDIR);
        // chroot moves only the root: the current directory stays where it was, even outside the new root.
        if (chroot) process.Root = dir;
        else process.Cwd = dir;
        return 0;
    }

    private int ReadFile(Process process, uint pathAddress, uint buffer, uint length)
    {
        if (ReadUserString(process, pathAddress) is not { } path) return Fail(Errno.EFAULT);
        var (node, error) = NamespaceLookup.Resolve(process, path);
        if (node is null) return Fail(error);
        if (node is not FsFile file) return Fail(Errno.EISDIR);
        var count = (int)Math.Min(length, (uint)file.Content.Length);
        return WriteUser(process, buffer, file.Content.AsSpan(0, count)) ? count : Fail(Errno.EFAULT);
    }

    private int WriteFile(Process process, uint pathAddress, uint buffer, uint length)
    {
        if (length > 64 * 1024) return Fail(Errno.EINVAL);
        if (ReadUserString(process, pathAddress) is not { } path) return Fail(Errno.EFAULT);
        if (ReadUser(process, buffer, length) is not { } bytes) return Fail(Errno.EFAULT);
        var (node, error) = NamespaceLookup.Resolve(process, path);
        if (node is FsFile file)
        {
            file.Write(bytes);
            return (int)length;
        }
        if (node is FsDirectory) return Fail(Errno.EISDIR);
        if (error != Errno.ENOENT) return Fail(error);
        var slash = path.LastIndexOf('/');
        var (parent, parentError) = NamespaceLookup.Resolve(process, slash < 0 ? "." : slash == 0 ? "/" : path[..slash]);
        if (parent is not FsDirectory dir) return Fail(parent is null ? parentError : Errno.ENOTDIR);
        dir.PutFile(path[(slash + 1)..], bytes, shared: false);
        return (int)length;
    }

    private int ListPids(Process process, uint buffer, uint max)
    {
        var pids = NamespaceLookup.VisiblePids(process);
        var count = (int)Math.Min(max, (uint)pids.Count);
        var bytes = new byte[count * 4];
        for (var i = 0; i < count; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), pids[i]);
        return WriteUser(process, buffer, bytes) ? pids.Count : Fail(Errno.EFAULT);
    }

    private int Bind(Process process, int port)
    {
        if (port is < 1 or > 65535) return Fail(Errno.EINVAL);
        var endpoints = process.Namespaces.Net.Endpoints;
        if (endpoints.ContainsKey(port)) return Fail(Errno.EADDRINUSE);
        endpoints[port] = new Endpoint(process, port);
        return 0;
    }

    private int SendTo(Process process, uint address, int port, uint value)
    {
        var (endpoint, error) = NamespaceLookup.Endpoint(process, bridge, address, port);
        if (endpoint is null) return Fail(error);
        Deliver(endpoint, value);
        return 0;
    }

    /// <summary>Hands <paramref name="value"/> to the endpoint's owner if it waits in recv(), else queues it.</summary>
    private static void Deliver(Endpoint endpoint, uint value)
    {
        var owner = endpoint.Owner;
        if (owner.State == ProcessState.WaitingForNetwork)
        {
            owner.Cpu.R[0] = value;
            owner.State = ProcessState.Runnable;
        }
        else if (endpoint.Pending.Count < 1024) endpoint.Pending.Enqueue(value);
    }

    private int Receive(Process process)
    {
        var mine = process.Namespaces.Net.Endpoints.Values.Where(e => e.Owner == process).ToList();
        if (mine.Count == 0) return Fail(Errno.EINVAL);
        if (mine.FirstOrDefault(e => e.Pending.Count > 0) is { } ready) return (int)ready.Pending.Dequeue();
        process.State = ProcessState.WaitingForNetwork;
        return 0;
    }

    private int MessageSend(Process process, int key, uint value)
    {
        var waiting = processes.FirstOrDefault(p => p.State == ProcessState.WaitingForMessage && p.WaitKey == key && p.Namespaces.Ipc == process.Namespaces.Ipc);
        if (waiting is not null)
        {
            waiting.Cpu.R[0] = value;
            waiting.State = ProcessState.Runnable;
            return 0;
        }
        var queue = NamespaceLookup.Queue(process, key);
        if (queue.Count >= 1024) return Fail(Errno.EAGAIN);
        queue.Enqueue(value);
        return 0;
    }

    private int MessageReceive(Process process, int key)
    {
        var queue = NamespaceLookup.Queue(process, key);
        if (queue.Count > 0) return (int)queue.Dequeue();
        process.State = ProcessState.WaitingForMessage;
        process.WaitKey = key;
        return 0;
    }

    private int KernelBug(Process process)
    {
        Panic($"bad pointer dereferenced in system call 99, called by pid {process.HostPid} ({process.Container?.Name ?? "host"})");
        return 0;
    }
}
