using System.Text;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for the <see cref="StreamWriter"/> constructors that take a path; <c>PrepareBase</c> serves a
/// derived class's base constructor call, as in <see cref="FileStreamRedirects"/>.</summary>
[RedirectsCallsTo(typeof(StreamWriter))]
public static class StreamWriterRedirects
{
    public static StreamWriter New(string path) => New(path, false);

    public static StreamWriter New(string path, bool append) => new(Open(path, append));

    public static StreamWriter New(string path, bool append, Encoding encoding) => new(Open(path, append), encoding);

    public static StreamWriter New(string path, bool append, Encoding encoding, int bufferSize) => new(Open(path, append), encoding, bufferSize);

    public static StreamWriter New(string path, FileStreamOptions options) => new(FileRedirects.Open(path, options));

    public static StreamWriter New(string path, Encoding encoding, FileStreamOptions options) => new(FileRedirects.Open(path, options), encoding);

    public static void PrepareBase(ref string path) => PrepareBase(ref path, false);

    public static void PrepareBase(ref string path, bool append)
    {
        var mode = append ? FileMode.Append : FileMode.Create;
        FileStreamRedirects.PrepareBase(ref path, ref mode, FileAccess.Write);
    }

    public static void PrepareBase(ref string path, bool append, Encoding encoding) => PrepareBase(ref path, append);

    public static void PrepareBase(ref string path, bool append, Encoding encoding, int bufferSize) => PrepareBase(ref path, append);

    public static void PrepareBase(ref string path, ref FileStreamOptions options) => FileStreamRedirects.PrepareBase(ref path, ref options);

    public static void PrepareBase(ref string path, Encoding encoding, ref FileStreamOptions options) => FileStreamRedirects.PrepareBase(ref path, ref options);

    private static FileStream Open(string path, bool append) =>
        FileRedirects.Open(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read);
}
