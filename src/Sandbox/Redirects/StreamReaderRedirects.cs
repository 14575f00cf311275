using System.Text;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for the <see cref="StreamReader"/> constructors that take a path.</summary>
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
}
