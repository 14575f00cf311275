using System.Diagnostics;
using System.Runtime.InteropServices;

// A test application doing what IL rewriting cannot make safe, so the packager's report and --strict can be
// checked: native calls, reflection on System.IO, unsafe code, and starting another process.
internal static unsafe class Program
{
    [DllImport("libc")]
    private static extern int getpid();

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr NativeGetEnvironmentVariable(string name);

    private static int Main(string[] args)
    {
        if (args is ["env"])
        {
            // What native code and child processes see, which rewriting does not reach.
            using (var child = Process.Start(new ProcessStartInfo("sh", ["-c", "echo \"child: $HOME|$TMPDIR|$XDG_CONFIG_HOME|$XDG_DATA_HOME|$XDG_CACHE_HOME|$(pwd)\""])))
            {
                child!.WaitForExit();
            }
            Console.WriteLine($"native: {Marshal.PtrToStringAnsi(NativeGetEnvironmentVariable("HOME"))}|{Marshal.PtrToStringAnsi(NativeGetEnvironmentVariable("TMPDIR"))}");
            return 0;
        }
        var writeAllText = Type.GetType("System.IO.File")!.GetMethod("WriteAllText", [typeof(string), typeof(string)]);
        if (args.Length > 1)
        {
            writeAllText!.Invoke(null, [args[0], args[1]]);
        }
        var value = 42;
        var pointer = &value;
        Console.WriteLine($"{getpid() > 0} {*pointer}");
        if (args.Length == 1)
        {
            Process.Start("true")?.WaitForExit();
        }
        return 0;
    }
}
