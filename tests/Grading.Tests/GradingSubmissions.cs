namespace VirtualizationWorkbench.Grading.Tests;

/// <summary>
/// Real submissions for the grading tests: copies of lab 01's reference solution or untouched exercise, some
/// changed so that one of their system calls misbehaves in a known way, so the tests can say exactly which checks
/// must break and which must still pass.
/// </summary>
internal static class GradingSubmissions
{
    public static string Lab01 => Path.Combine(WorkbenchProcess.RepositoryRoot, "labs", "01-machine");

    /// <summary>Copies a lab 01 folder (Solution or Exercise) to <paramref name="target"/>, applying
    /// <paramref name="edit"/> to its SystemCallHost.cs.</summary>
    public static string Make(string target, string from = "Solution", Func<string, string>? edit = null)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Lab01, from)).Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        if (edit is not null)
        {
            var host = Path.Combine(target, "SystemCallHost.cs");
            var text = File.ReadAllText(host);
            var changed = edit(text);
            Assert.That(changed, Is.Not.EqualTo(text), "the edit must change the solution (did SystemCallHost.cs change?)");
            File.WriteAllText(host, changed);
        }
        return target;
    }

    /// <summary>Replaces <paramref name="what"/> (which must occur) and adds <paramref name="members"/> to the class.</summary>
    public static Func<string, string> Replace(string what, string with, string members = "") => text =>
    {
        Assert.That(text, Does.Contain(what), "the solution no longer has the line this misbehaving submission changes");
        text = text.Replace(what, with, StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        return text[..end] + members + "\n}\n";
    };

    /// <summary>getpid loops forever.</summary>
    public static Func<string, string> Loop => Replace("3 => (uint)process.Pid,", "3 => Forever(),",
        "    private static uint Forever() { var i = 0u; while (i != uint.MaxValue || i == uint.MaxValue) i++; return i; }\n");

    /// <summary>yield ends the test process.</summary>
    public static Func<string, string> Exit => Replace("2 => 0,", "2 => Quit(),",
        "    private static uint Quit() { Environment.Exit(0); return 0; }\n");

    /// <summary>An unknown call allocates without end.</summary>
    public static Func<string, string> Allocate => Replace("_ => Failed,", "_ => Hog(),",
        "    private static uint Hog() { var hoard = new List<byte[]>(); while (true) hoard.Add(new byte[1 << 20]); }\n");

    /// <summary>Every write also prints 4 MiB straight to the process's standard output.</summary>
    public static Func<string, string> Flood => Replace("if (buffer < UserProcess.UserBase || length > MaxWrite) return Failed;",
        "Flood(); if (buffer < UserProcess.UserBase || length > MaxWrite) return Failed;",
        "    private static void Flood() { using var raw = Console.OpenStandardOutput(); var chunk = new byte[1 << 20]; Array.Fill(chunk, (byte)'x'); for (var i = 0; i < 4; i++) raw.Write(chunk); Console.Write(new string('y', 1 << 20)); }\n");

    /// <summary>write uses a class whose static constructor throws.</summary>
    public static Func<string, string> StaticConstructor => text =>
        Replace("length > MaxWrite", "length > Limits.Max")(text)
        + "internal static class Limits\n{\n    public static readonly uint Max = Load();\n    private static uint Load() => throw new InvalidOperationException(\"static constructor fails\");\n}\n";

    /// <summary>exit deletes <paramref name="victim"/> and writes <paramref name="intruder"/>, both outside the submission.</summary>
    public static Func<string, string> Vandal(string victim, string intruder) => Replace("exitCode = (int)code;",
        $"File.Delete(@\"{victim}\"); File.WriteAllText(@\"{intruder}\", \"owned\"); exitCode = (int)code;");

    /// <summary>Does not compile.</summary>
    public static Func<string, string> Broken => text => text.Replace("return length;", "return length", StringComparison.Ordinal);
}
