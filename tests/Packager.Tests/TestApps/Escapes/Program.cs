using System.Data;
using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using System.Linq.Expressions;
using System.Net.Sockets;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.InteropServices;
using System.Xml;

// A hostile test application: every way around IL rewriting the packager's issue 20 lists, each tried once and
// reported on a line of its own ("name: done" or "name: failed (why)"). The test, not this program, judges
// what escaped, by hashing the host folders before and after.
//   Escapes write TARGET-FOLDER   writes one file per technique into TARGET-FOLDER (a host folder)
//   Escapes read SECRET-FILE      reads a file by every technique and prints what it read
// (both may be given, one after the other, so that one run tries everything).
internal static unsafe class Program
{
    [DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int fd, byte[] buffer, nint count);

    [DllImport("libc")]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int symlink(string target, string path);

    private const int WriteCreate = 0x41 | 0x200; // O_WRONLY | O_CREAT | O_TRUNC

    private static int Main(string[] args)
    {
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "write")
            {
                Write(args[i + 1]);
            }
            else
            {
                Read(args[i + 1]);
            }
        }
        return 0;
    }

    private static void Write(string folder)
    {
        var writeAllText = Type.GetType("System.IO.File")!.GetMethod("WriteAllText", [typeof(string), typeof(string)])!;
        Try("pinvoke-open-write", () => NativeWrite(Path.Combine(folder, "pinvoke.txt")));
        Try("nativelibrary-function-pointer", () =>
        {
            var libc = NativeLibrary.Load("libc.so.6");
            var openPointer = (delegate* unmanaged<byte*, int, int, int>)NativeLibrary.GetExport(libc, "open");
            var path = System.Text.Encoding.UTF8.GetBytes(Path.Combine(folder, "function-pointer.txt") + "\0");
            fixed (byte* name = path)
            {
                var fd = openPointer(name, WriteCreate, 420);
                Check(fd);
                close(fd);
            }
        });
        Try("reflection-invoke", () => writeAllText.Invoke(null, [Path.Combine(folder, "reflection.txt"), "x"]));
        Try("invoke-member", () => Type.GetType("System.IO.File")!.InvokeMember("WriteAllText", BindingFlags.InvokeMethod | BindingFlags.Public | BindingFlags.Static, null, null, [Path.Combine(folder, "invoke-member.txt"), "x"]));
        Try("create-delegate", () => ((Action<string, string>)Delegate.CreateDelegate(typeof(Action<string, string>), writeAllText))(Path.Combine(folder, "delegate.txt"), "x"));
        Try("expression-tree", () =>
        {
            var path = Expression.Parameter(typeof(string));
            Expression.Lambda<Action<string>>(Expression.Call(writeAllText, path, Expression.Constant("x")), path).Compile()(Path.Combine(folder, "expression.txt"));
        });
        Try("dynamic-method", () =>
        {
            var method = new DynamicMethod("escape", null, [typeof(string)]);
            var il = method.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldstr, "x");
            il.Emit(OpCodes.Call, writeAllText);
            il.Emit(OpCodes.Ret);
            ((Action<string>)method.CreateDelegate(typeof(Action<string>)))(Path.Combine(folder, "dynamic-method.txt"));
        });
        Try("assembly-load-bytes", () =>
        {
            // An unrewritten payload made at run time, as a downloaded plug-in would be.
            var builder = new PersistedAssemblyBuilder(new AssemblyName("Payload"), typeof(object).Assembly);
            var type = builder.DefineDynamicModule("Payload").DefineType("Payload", TypeAttributes.Public | TypeAttributes.Class);
            var method = type.DefineMethod("Run", MethodAttributes.Public | MethodAttributes.Static, null, [typeof(string)]);
            var il = method.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldstr, "x");
            il.Emit(OpCodes.Call, writeAllText);
            il.Emit(OpCodes.Ret);
            type.CreateType();
            using var image = new MemoryStream();
            builder.Save(image);
            var loaded = Assembly.Load(image.ToArray());
            loaded.GetType("Payload")!.GetMethod("Run")!.Invoke(null, [Path.Combine(folder, "payload.txt")]);
        });
        Try("xml-text-writer", () =>
        {
            using var writer = new XmlTextWriter(Path.Combine(folder, "xml-text-writer.xml"), null);
            writer.WriteElementString("x", "x");
        });
        Try("dataset-write-xml", () => new DataSet("x").WriteXml(Path.Combine(folder, "dataset.xml")));
        Try("trace-listener", () =>
        {
            using var listener = new TextWriterTraceListener(Path.Combine(folder, "trace.txt"));
            listener.WriteLine("x");
            listener.Flush();
        });
        Try("memory-mapped-file", () =>
        {
            using var map = MemoryMappedFile.CreateFromFile(Path.Combine(folder, "mapped.bin"), FileMode.Create, null, 16);
            using var view = map.CreateViewAccessor();
            view.Write(0, 42);
        });
        Try("file-create-symbolic-link", () => File.CreateSymbolicLink(Path.Combine(folder, "link"), "/etc/hostname"));
        Try("unix-socket-bind", () =>
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(folder, "socket")));
        });
        Try("sh-absolute-path", () => Shell($"echo x > '{Path.Combine(folder, "sh-absolute.txt")}'", null));
        Try("sh-working-directory", () => Shell("echo x > sh-relative.txt", folder));
        Try("sh-delete", () => Shell($"rm -f '{Path.Combine(folder, "existing.txt")}'", null));
        Try("directory-link-in-sandbox", () =>
        {
            // A directory link planted natively in the sandbox (where HOME points), then written through with a
            // redirected call, which checks the last path segment only.
            var home = Environment.GetEnvironmentVariable("HOME")!;
            Check(symlink(folder, Path.Combine(home, "planted")));
            File.WriteAllText(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "planted", "through-link.txt"), "x");
        });
        Try("own-assembly-append", () => NativeWrite(typeof(Program).Assembly.Location, append: true));
    }

    private static void Read(string secret)
    {
        var readAllText = Type.GetType("System.IO.File")!.GetMethod("ReadAllText", [typeof(string)])!;
        Show("redirected-read", () => File.ReadAllText(secret));
        Show("reflection-read", () => (string)readAllText.Invoke(null, [secret])!);
        Show("pinvoke-read", () =>
        {
            var fd = open(secret, 0, 0);
            Check(fd);
            var buffer = new byte[256];
            var count = read(fd, buffer, buffer.Length);
            close(fd);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, (int)count);
        });
        Show("memory-mapped-read", () =>
        {
            using var map = MemoryMappedFile.CreateFromFile(secret, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            using var stream = map.CreateViewStream(0, 0, MemoryMappedFileAccess.Read);
            return new StreamReader(stream).ReadToEnd().TrimEnd('\0');
        });
        Show("sh-cat", () =>
        {
            using var child = Process.Start(new ProcessStartInfo("sh", ["-c", $"cat '{secret}'"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var text = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            return child.ExitCode == 0 ? text : throw new IOException($"cat exited {child.ExitCode}");
        });
        Show("directory-listing", () => string.Join(",", Directory.GetFiles(Path.GetDirectoryName(secret)!).Select(Path.GetFileName)));
    }

    private static void NativeWrite(string path, bool append = false)
    {
        var fd = open(path, append ? 0x401 : WriteCreate, 420);
        Check(fd);
        var bytes = "x"u8.ToArray();
        var written = write(fd, bytes, bytes.Length);
        close(fd);
        Check((int)written);
    }

    private static void Shell(string command, string? folder)
    {
        var start = new ProcessStartInfo("sh", ["-c", command]) { RedirectStandardError = true };
        if (folder is not null)
        {
            start.WorkingDirectory = folder;
        }
        using var child = Process.Start(start)!;
        var error = child.StandardError.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new IOException(error.Trim());
        }
    }

    private static void Check(int result)
    {
        if (result < 0)
        {
            throw new IOException(Marshal.GetLastPInvokeErrorMessage());
        }
    }

    private static void Try(string name, Action action)
    {
        try
        {
            action();
            Console.WriteLine($"{name}: done");
        }
        catch (Exception e)
        {
            Console.WriteLine($"{name}: failed ({(e is TargetInvocationException { InnerException: { } inner } ? inner : e).GetType().Name}: {(e.InnerException ?? e).Message.ReplaceLineEndings(" ")})");
        }
    }

    private static void Show(string name, Func<string> action)
    {
        try
        {
            Console.WriteLine($"{name}: read {action().ReplaceLineEndings(" ")}");
        }
        catch (Exception e)
        {
            Console.WriteLine($"{name}: failed ({(e.InnerException ?? e).GetType().Name})");
        }
    }
}
