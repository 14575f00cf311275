using VirtualizationWorkbench.Network.Scenarios;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Network.Capture;

/// <summary>Writes a run's captures into a folder, one <c>SWITCH.N.pcap</c> per port, each whole or not at all.</summary>
public static class CaptureFolder
{
    /// <summary>Checks, before anything runs, that <paramref name="folder"/> can be made and written; a
    /// <see cref="ScenarioError"/> saying so if not.</summary>
    public static void Prepare(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".workbench-probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioError(folder, 0, 0, $"cannot write captures there ({e.Message.TrimEnd('.')})", "choose a folder you can write to with --pcap DIR");
        }
    }

    /// <summary>Writes every capture of <paramref name="run"/>; returns the files' paths.</summary>
    public static IReadOnlyList<string> Write(string folder, ScenarioRun run)
    {
        Prepare(folder);
        var written = new List<string>();
        foreach (var (port, bytes) in run.Captures)
        {
            var path = Path.Combine(folder, port + ".pcap");
            try
            {
                AtomicFile.Write(path, stream => stream.Write(bytes));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ScenarioError(path, 0, 0, $"cannot write the capture ({e.Message.TrimEnd('.')})", "choose a folder you can write to with --pcap DIR");
            }
            written.Add(path);
        }
        return written;
    }
}
