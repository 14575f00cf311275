using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for the <see cref="FileStream"/> constructors that take a path. <c>new FileStream(path, …)</c>
/// becomes a call of <c>New</c>; a class derived from <see cref="FileStream"/> cannot be built by a factory, so its
/// constructor's call of the base constructor keeps going there, after <c>PrepareBase</c> with the same
/// arguments has turned the path (and the mode) into those of the file the sandbox opens.</summary>
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

    public static void PrepareBase(ref string path, ref FileMode mode) =>
        PrepareBase(ref path, ref mode, mode == FileMode.Append ? FileAccess.Write : FileAccess.ReadWrite);

    public static void PrepareBase(ref string path, ref FileMode mode, FileAccess access) =>
        (path, mode) = SandboxRuntime.Current.FileSystem.PrepareOpen(SandboxRuntime.Current.FullPath(path), mode, access);

    public static void PrepareBase(ref string path, ref FileMode mode, FileAccess access, FileShare share) => PrepareBase(ref path, ref mode, access);

    public static void PrepareBase(ref string path, ref FileMode mode, FileAccess access, FileShare share, int bufferSize) => PrepareBase(ref path, ref mode, access);

    public static void PrepareBase(ref string path, ref FileMode mode, FileAccess access, FileShare share, int bufferSize, bool useAsync) => PrepareBase(ref path, ref mode, access);

    public static void PrepareBase(ref string path, ref FileMode mode, FileAccess access, FileShare share, int bufferSize, FileOptions options) => PrepareBase(ref path, ref mode, access);

    public static void PrepareBase(ref string path, ref FileStreamOptions options)
    {
        var mode = options.Mode;
        PrepareBase(ref path, ref mode, options.Access);
        options = WithMode(options, mode);
    }

    /// <summary>A copy of <paramref name="options"/> opening with <paramref name="mode"/>: the caller's own
    /// options object is not changed under it.</summary>
    internal static FileStreamOptions WithMode(FileStreamOptions options, FileMode mode)
    {
        var copy = new FileStreamOptions
        {
            Mode = mode,
            Access = options.Access,
            Share = options.Share,
            BufferSize = options.BufferSize,
            Options = options.Options,
            PreallocationSize = options.PreallocationSize,
        };
        if (!OperatingSystem.IsWindows() && options.UnixCreateMode is { } unixMode)
        {
            copy.UnixCreateMode = unixMode;
        }
        return copy;
    }
}
