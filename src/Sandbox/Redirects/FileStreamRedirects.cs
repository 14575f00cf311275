using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for the <see cref="FileStream"/> constructors that take a path.</summary>
[RedirectsCallsTo(typeof(FileStream))]
public static class FileStreamRedirects
{
    private const int DefaultBufferSize = 4096;

    public static FileStream New(string path, FileMode mode) =>
        New(path, mode, mode == FileMode.Append ? FileAccess.Write : FileAccess.ReadWrite, FileShare.Read);

    public static FileStream New(string path, FileMode mode, FileAccess access) => New(path, mode, access, FileShare.Read);

    public static FileStream New(string path, FileMode mode, FileAccess access, FileShare share) => New(path, mode, access, share, DefaultBufferSize);

    public static FileStream New(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize) =>
        New(path, mode, access, share, bufferSize, FileOptions.None);

    public static FileStream New(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize, bool useAsync) =>
        New(path, mode, access, share, bufferSize, useAsync ? FileOptions.Asynchronous : FileOptions.None);

    public static FileStream New(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize, FileOptions options) =>
        SandboxRuntime.Current.FileSystem.OpenFile(SandboxRuntime.Current.FullPath(path), mode, access, share, bufferSize, options);

    public static FileStream New(string path, FileStreamOptions options) =>
        New(path, options.Mode, options.Access, options.Share, Math.Max(options.BufferSize, 1), options.Options);
}
