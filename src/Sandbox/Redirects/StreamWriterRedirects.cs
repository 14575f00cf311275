using System.Text;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for the <see cref="StreamWriter"/> constructors that take a path.</summary>
[RedirectsCallsTo(typeof(StreamWriter))]
public static class StreamWriterRedirects
{
    public static StreamWriter New(string path) => New(path, false);

    public static StreamWriter New(string path, bool append) => new(Open(path, append));

    public static StreamWriter New(string path, bool append, Encoding encoding) => new(Open(path, append), encoding);

    public static StreamWriter New(string path, bool append, Encoding encoding, int bufferSize) => new(Open(path, append), encoding, bufferSize);

    public static StreamWriter New(string path, FileStreamOptions options) => new(FileRedirects.Open(path, options));

    public static StreamWriter New(string path, Encoding encoding, FileStreamOptions options) => new(FileRedirects.Open(path, options), encoding);

    private static FileStream Open(string path, bool append) =>
        FileRedirects.Open(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read);
}
