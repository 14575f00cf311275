using System.Diagnostics;

namespace VirtualizationWorkbench.Network.Tests;

/// <summary>The real <c>tshark</c> (Debian package tshark; <c>.ci/run</c> installs it) as the oracle for captures:
/// what it decodes from a pcap file is what Wireshark shows.</summary>
internal static class Tshark
{
    private static readonly Lazy<bool> Present = new(() =>
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("tshark", "--version") { RedirectStandardOutput = true, RedirectStandardError = true });
            process!.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    /// <summary>Ignores the test when tshark is missing, except in CI, where it must be there.</summary>
    public static void Require()
    {
        if (!Present.Value)
        {
            if (Environment.GetEnvironmentVariable("CI") is null) Assert.Ignore("needs tshark (apt-get install tshark); CI requires it");
            Assert.Fail("tshark is not installed; .ci/run installs it");
        }
    }

    /// <summary>One row per frame of <paramref name="pcap"/>, with the fields asked for (<c>-T fields -e ...</c>),
    /// optionally only the frames a display filter keeps.</summary>
    public static List<string[]> Fields(string pcap, string[] fields, string? filter = null)
    {
        Require();
        var start = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-r", pcap, "-T", "fields", "-E", "separator=/t"]) start.ArgumentList.Add(a);
        if (filter is not null)
        {
            start.ArgumentList.Add("-Y");
            start.ArgumentList.Add(filter);
        }
        foreach (var f in fields)
        {
            start.ArgumentList.Add("-e");
            start.ArgumentList.Add(f);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            Assert.Fail("tshark did not finish in 60 s");
        }
        Assert.That(process.ExitCode, Is.Zero, $"tshark failed on {pcap}: {error.Result}");
        return [.. output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t'))];
    }
}
