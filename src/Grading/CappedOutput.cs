using System.Text;

namespace VirtualizationWorkbench.Grading;

/// <summary>Drains a stream to its end (so a process printing without end never blocks on a full pipe) and keeps
/// only the first <c>cap</c> bytes of it, counting the rest.</summary>
public sealed class CappedOutput
{
    private readonly MemoryStream kept = new();
    private readonly int cap;
    private long total;

    private CappedOutput(int cap) => this.cap = cap;

    /// <summary>Bytes seen in all.</summary>
    public long Total => Interlocked.Read(ref total);

    /// <summary>The task that drains the stream.</summary>
    public Task Drained { get; private set; } = Task.CompletedTask;

    /// <summary>Starts draining <paramref name="stream"/>.</summary>
    public static CappedOutput Drain(Stream stream, int cap)
    {
        var output = new CappedOutput(cap);
        output.Drained = output.Pump(stream);
        return output;
    }

    /// <summary>What was kept, with a note of what was cut.</summary>
    public override string ToString()
    {
        lock (kept)
        {
            var text = Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
            return Total > kept.Length ? text + $"\n… ({Total - kept.Length} more bytes cut)" : text;
        }
    }

    private async Task Pump(Stream stream)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                Interlocked.Add(ref total, n);
                lock (kept)
                {
                    var room = cap - (int)kept.Length;
                    if (room > 0) kept.Write(buffer, 0, Math.Min(room, n));
                }
            }
        }
        catch (IOException)
        {
            // The process was killed mid-write: what arrived is kept.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
