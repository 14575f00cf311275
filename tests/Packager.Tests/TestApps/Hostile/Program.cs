using System.Diagnostics;
using System.Runtime.InteropServices;

// A test application doing what IL rewriting cannot make safe, so the packager's report and --strict can be
// checked: native calls, reflection on System.IO, unsafe code, and starting another process.
internal static unsafe class Program
{
    [DllImport("libc")]
    private static extern int getpid();

    private static int Main(string[] args)
    {
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
