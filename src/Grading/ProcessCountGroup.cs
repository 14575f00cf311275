using System.Globalization;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// A pids control group of its own for one worker, limiting the processes and threads of everything in it. Only
/// for a grader running as root: there the kernel exempts the sandbox's processes from <c>RLIMIT_NPROC</c> (their
/// user id outside the user namespace is 0), and root can make a group. The worker's command starts with a shell
/// that moves itself into the group and then execs bubblewrap, so nothing the submission starts is ever outside it.
/// Disposing removes the group (once its processes are gone).
/// </summary>
public sealed class ProcessCountGroup : IDisposable
{
    private ProcessCountGroup(string folder) => Folder = folder;

    /// <summary>The group's folder in the cgroup filesystem.</summary>
    public string Folder { get; }

    /// <summary>A new group allowing <paramref name="limit"/> processes and threads, or null where none can be
    /// made (not root, or no pids controller this process may use).</summary>
    public static ProcessCountGroup? Create(int limit)
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess || Parent() is not { } parent) return null;
        var folder = Path.Combine(parent, $"workbench-grade-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "pids.max"), limit.ToString(CultureInfo.InvariantCulture));
            return new ProcessCountGroup(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryRemove(folder);
            return null;
        }
    }

    /// <summary>Whether this grader can make groups (and needs them: it runs as root).</summary>
    public static bool Available => OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess && Parent() is not null;

    /// <summary>The command prefix that runs the rest of the command line inside the group.</summary>
    public IEnumerable<string> Prefix() => ["/bin/sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", Folder];

    /// <inheritdoc/>
    public void Dispose()
    {
        // The last processes of a killed sandbox may take a moment to be reaped: a group still in use cannot go.
        for (var attempt = 0; attempt < 50 && Directory.Exists(Folder); attempt++)
        {
            if (TryRemove(Folder)) return;
            Thread.Sleep(20);
        }
    }

    // The pids hierarchy this process is in: cgroup v1's own pids mount, or v2's unified tree where the pids
    // controller is already enabled for children (enabling it would move processes about, which is not ours to do).
    private static string? Parent()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/cgroup"))
            {
                var fields = line.Split(':', 3);
                if (fields.Length != 3) continue;
                var relative = fields[2].TrimStart('/');
                if (fields[1].Split(',').Contains("pids"))
                {
                    var v1 = Path.Combine("/sys/fs/cgroup/pids", relative);
                    if (File.Exists(Path.Combine(v1, "pids.max")) || File.Exists(Path.Combine(v1, "cgroup.procs"))) return v1;
                }
                else if (fields[0] == "0" && fields[1].Length == 0)
                {
                    var v2 = Path.Combine("/sys/fs/cgroup", relative);
                    var control = Path.Combine(v2, "cgroup.subtree_control");
                    if (File.Exists(control) && File.ReadAllText(control).Split(' ', '\n').Contains("pids")) return v2;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    private static bool TryRemove(string folder)
    {
        try
        {
            // A cgroup's folder is removed empty of subfolders; its control files go with it.
            Directory.Delete(folder);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
