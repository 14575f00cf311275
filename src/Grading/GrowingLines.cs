using System.Text;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// Reads the complete lines of a file another process is still appending to. A line counts only once its newline is
/// in the file: a line caught half-written is kept back and finished on a later read, never parsed in two pieces and
/// never glued to the line after it.
/// </summary>
internal sealed class GrowingLines : IDisposable
{
    private readonly FileStream stream;
    private readonly MemoryStream partial = new();
    private readonly byte[] buffer = new byte[64 * 1024];

    public GrowingLines(string file)
    {
        stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
    }

    /// <summary>How many bytes the file holds now.</summary>
    public long Length => stream.Length;

    /// <summary>The lines completed since the last call, in order, without their newlines.</summary>
    public List<string> ReadCompleted()
    {
        var lines = new List<string>();
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n') continue;
                partial.Write(buffer, start, i - start);
                lines.Add(Encoding.UTF8.GetString(partial.GetBuffer(), 0, (int)partial.Length).TrimEnd('\r'));
                partial.SetLength(0);
                start = i + 1;
            }
            partial.Write(buffer, start, read - start);
        }
        return lines;
    }

    public void Dispose()
    {
        stream.Dispose();
        partial.Dispose();
    }
}
