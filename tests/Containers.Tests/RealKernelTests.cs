using System.Diagnostics;

namespace VirtualizationWorkbench.Containers.Tests;

/// <summary>
/// The same ideas on the real Linux kernel, with the real tools as oracles: the commands lab 08's last step gives
/// the student. Where user namespaces are unavailable the tests say so and are ignored, except under CI, which
/// requires them (bubblewrap is installed by .ci/run; unshare is in util-linux).
/// </summary>
[TestFixture]
[Category(TestCategories.EndToEnd)]
public sealed class RealKernelTests
{
    private static (int Code, string Output) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(20_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} did not finish in 20 s");
        }
        return (process.ExitCode, output.Result + error.Result);
    }

    private static void RequireUserNamespaces(string tool)
    {
        var probe = Path.Combine("/usr/bin", tool);
        string why;
        if (!File.Exists(probe) && !File.Exists(Path.Combine("/bin", tool))) why = $"{tool} is not installed";
        else
        {
            var (code, output) = Run("unshare", "--user", "--map-root-user", "true");
            if (code == 0) return;
            why = $"user namespaces are unavailable here ({output.Trim()})";
        }
        if (Environment.GetEnvironmentVariable("CI") is null) Assert.Ignore($"needs user namespaces: {why}; CI requires them");
        Assert.Fail($"CI requires user namespaces: {why}");
    }

    [Test]
    [CancelAfter(30_000)]
    public void Unshare_Gives_A_Shell_Pid_1_And_A_Hostname_Of_Its_Own()
    {
        RequireUserNamespaces("unshare");
        var (code, output) = Run("unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc", "--uts",
            "sh", "-c", "hostname box; echo \"host: $(hostname)\"; echo \"pid: $$\"; echo \"seen: $(ls /proc | grep -c '^[0-9]')\"");
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("host: box").And.Contain("pid: 1\n"));
        Assert.That(int.Parse(output.Split("seen: ")[1].Trim(), System.Globalization.CultureInfo.InvariantCulture), Is.LessThan(5), "only its own few processes in /proc");
        Assert.That(Run("hostname").Output.Trim(), Is.Not.EqualTo("box"), "the host's name is untouched");
    }

    [Test]
    [CancelAfter(30_000)]
    public void Bubblewrap_Gives_Pid_1_And_A_Read_Only_Root()
    {
        RequireUserNamespaces("bwrap");
        var (code, output) = Run("bwrap", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--unshare-pid", "--as-pid-1",
            "--unshare-uts", "--hostname", "box", "sh", "-c", "echo \"pid: $$\"; hostname; touch /lab08-probe || echo refused");
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("pid: 1\n").And.Contain("box").And.Contain("Read-only file system").And.Contain("refused"));
        Assert.That(File.Exists("/lab08-probe"), Is.False);
    }
}
