using System.Text;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for the <see cref="StreamReader"/> constructors that take a path; <c>PrepareBase</c> serves a
/// derived class's base constructor call, as in <see cref="FileStreamRedirects"/>.</summary>
[RedirectsCallsTo(typeof(StreamReader))]
public static class StreamReaderRedirects
{
    public static StreamReader New(string path) => new(FileRedirects.OpenRead(path));

    public static StreamReader New(string path, bool detectEncodingFromByteOrderMarks) => new(FileRedirects.OpenRead(path), detectEncodingFromByteOrderMarks);

    public static StreamReader New(string path, Encoding encoding) => new(FileRedirects.OpenRead(path), encoding);

    public static StreamReader New(string path, Encoding encoding, bool detectEncodingFromByteOrderMarks) =>
        new(FileRedirects.OpenRead(path), encoding, detectEncodingFromByteOrderMarks);

    public static StreamReader New(string path, Encoding encoding, bool detectEncodingFromByteOrderMarks, int bufferSize) =>
        new(FileRedirects.OpenRead(path), encoding, detectEncodingFromByteOrderMarks, bufferSize);

    public static StreamReader New(string path, FileStreamOptions options) => new(FileRedirects.Open(path, options));

    public static void PrepareBase(ref string path)
    {
        var mode = FileMode.Open;
        FileStreamRedirects.PrepareBase(ref path, ref mode, FileAccess.Read);
    }

    public static void PrepareBase(ref string path, bool detectEncodingFromByteOrderMarks) => PrepareBase(ref path);

    public static void PrepareBase(ref string path, Encoding encoding) => PrepareBase(ref path);

    public static void PrepareBase(ref string path, Encoding encoding, bool detectEncodingFromByteOrderMarks) => PrepareBase(ref path);

    public static void PrepareBase(ref string path, Encoding encoding, bool detectEncodingFromByteOrderMarks, int bufferSize) => PrepareBase(ref path);

    public static void PrepareBase(ref string path, ref FileStreamOptions options) => FileStreamRedirects.PrepareBase(ref path, ref options);
}
