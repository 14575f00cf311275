using VirtualizationWorkbench.Bytecode.Format;
using VirtualizationWorkbench.Bytecode.MachinePlatform;
using VirtualizationWorkbench.Bytecode.Running;

namespace VirtualizationWorkbench.Bytecode.Tests;

/// <summary>Write once, run anywhere: one bytecode file, the C# VM on the host, the VW32 VM on the machine core
/// (interpreting, and with the JIT) and the C VM on the RV32 emulator, the same output, result, steps and errors.</summary>
public class PlatformTests
{
    private static readonly string[] Platforms = ["host", "machine", "machine+jit", "rv32"];

    [Test]
    public void One_Bytecode_File_Gives_Identical_Output_On_Every_Platform()
    {
        var host = Programs.Run(Programs.Tour, "host");
        Assert.That(host.Error, Is.Null);
        // The host's answers, worked out by hand: gcd(1071, 462) = 21, fib(12) = 144, 62 primes below 300.
        Assert.That(host.Text, Does.StartWith("hello, bytecode\n21\n144\n62\n-2147483648\n-2147483648\n0\n-3\n-1\n1\n0\n-2147483648\n"));
        Assert.That(host.Result, Is.EqualTo(42));
        foreach (var platform in Platforms[1..])
        {
            var run = Programs.Run(Programs.Tour, platform);
            Assert.That((run.Text, run.Result, run.Error, run.Steps), Is.EqualTo((host.Text, host.Result, host.Error, host.Steps)), platform);
            Assert.That(run.Cycles, Is.GreaterThan(run.MachineInstructions), $"{platform}: the machine charges cycles for what it ran");
        }
    }

    [Test]
    public void The_Jit_Compiles_The_Hot_Functions_And_Leaves_Main_To_The_Interpreter()
    {
        var module = Programs.Compile(Programs.Tour);
        var vm = new MachineVm(module, module.ToBytes());
        var run = vm.Run(jit: true);
        Assert.That(run.Error, Is.Null);
        // fib is called 465 times, deep 60 times, the others once: only the first two turn hot.
        Assert.That(vm.CompiledFunctions, Is.EquivalentTo(new[] { "fib", "deep" }));
        vm.Run(jit: false);
        Assert.That(vm.CompiledFunctions, Is.Empty);
    }

    // Each error comes from a function called more than 50 times, so with the JIT it is raised by compiled code.
    [TestCase("fn f(n) { return 7 % n; }\nfn main() { var i = 60; while (1) { print(f(i)); i = i - 1; } return 0; }", RuntimeErrorKind.DivisionByZero, 0L, 0)]
    [TestCase("fn get(a[], i) { return a[i]; }\nfn main() { var a = array(100); var i = 0; while (1) { print(get(a, 59 - i)); i = i + 1; } return 0; }", RuntimeErrorKind.IndexOutOfBounds, -1L, 100)]
    [TestCase("fn put(a[], i) { a[i] = i; return 0; }\nfn main() { var a = array(60); var i = 0; while (1) { put(a, i); i = i + 1; } return 0; }", RuntimeErrorKind.IndexOutOfBounds, 60L, 60)]
    [TestCase("fn make(n) { var a = array(n); return len(a); }\nfn main() { var n = 55; while (1) { print(make(n)); n = n - 1; } return 0; }", RuntimeErrorKind.NegativeArraySize, -1L, 0)]
    [TestCase("fn make(n) { var a = array(n); return len(a); }\nfn main() { while (1) { make(20000); } return 0; }", RuntimeErrorKind.OutOfMemory, 20000L, 0)]
    [TestCase("fn f(n) { return f(n + 1) + 1; }\nfn main() { return f(0); }", RuntimeErrorKind.StackOverflow, 0L, 0)]
    public void A_Run_Time_Error_Is_The_Same_Error_On_Every_Platform(string source, RuntimeErrorKind kind, long value, int length)
    {
        var module = Programs.Compile(source);
        var host = Programs.Run(source, "host");
        Assert.That(host.Error, Is.Not.Null);
        Assert.That((host.Error!.Kind, host.Error.Value, host.Error.Length), Is.EqualTo((kind, value, length)), host.Error.Describe(module));
        var machine = Programs.Run(source, "machine");
        Assert.That((machine.Text, machine.Error, machine.Steps), Is.EqualTo((host.Text, host.Error, host.Steps)), "machine");
        var rv32 = Programs.Run(source, "rv32");
        Assert.That((rv32.Text, rv32.Error, rv32.Steps), Is.EqualTo((host.Text, host.Error, host.Steps)), "rv32");
        // Compiled code counts a basic block's steps when the block starts, so after an error its count may be
        // ahead of the interpreters' by the rest of that block; the output and the error are the same.
        var jit = Programs.Run(source, "machine+jit");
        Assert.That((jit.Text, jit.Error), Is.EqualTo((host.Text, host.Error)), "machine+jit");
    }

    [Test]
    public void An_Endless_Loop_Stops_At_The_Step_Limit_With_The_Source_Line()
    {
        const string Source = "fn main() {\n    var i = 0;\n    while (1) { i = i + 1; }\n    return 0;\n}\n";
        var module = Programs.Compile(Source);
        var host = Programs.Run(Source, "host", maxSteps: 1000);
        var machine = Programs.Run(Source, "machine", maxSteps: 1000);
        Assert.That((machine.Error, machine.Steps), Is.EqualTo((host.Error, host.Steps)));
        var rv32 = Programs.Run(Source, "rv32", maxSteps: 1000);
        Assert.That((rv32.Error, rv32.Steps), Is.EqualTo((host.Error, host.Steps)));
        Assert.That(host.Steps, Is.EqualTo(1000));
        Assert.That(host.Error!.Describe(module), Does.StartWith("the program did not finish within 1,000 steps").And.Contain("in function 'main'").And.Contain("(test.wl:3:"));
    }

    [Test]
    public void The_Step_Count_Is_The_Number_Of_Bytecode_Instructions()
    {
        // push, istore; then per turn: iload, push, lt, jz, iload, push, add, istore, jmp (9); the exit: iload, push, lt, jz; push, ret.
        var run = Programs.Run("fn main() { var i = 0; while (i < 5) { i = i + 1; } return i; }", "host");
        Assert.That((run.Result, run.Steps), Is.EqualTo((5, 2 + 5 * 9 + 4 + 2)));
    }

    [Test]
    public void A_Module_Survives_Its_File_Format()
    {
        var module = Programs.Compile(Programs.Tour, "tour.wl");
        var again = BytecodeModule.Parse(module.ToBytes());
        Assert.That(BytecodeListing.Of(again), Is.EqualTo(BytecodeListing.Of(module)));
        Assert.That(BytecodeListing.Of(again), Does.Contain("function 3 'sieve'").And.Contain("; tour.wl:").And.Contain("newarray"));
    }

    [Test]
    public void A_Module_Keeps_Its_Local_Names_And_A_File_Without_Them_Still_Reads()
    {
        var module = Programs.Compile("fn f(a[], n) {\n    var sum = 0;\n    if (n > 0) { var t = a[0]; sum = t; }\n    return sum;\n}\nfn main() { return f(array(1), 1); }\n");
        Assert.That(module.Functions[0].LocalNames, Is.EqualTo(new[] { "a", "n", "sum", "t" }), "parameters first, then each var in order");
        Assert.That(BytecodeListing.Of(module), Does.Contain("iload 1 (n)").And.Contain("istore 2 (sum)"));

        // An older file: the debug section ends after the line tables.
        var bytes = module.ToBytes();
        var localsPart = 1 + (2 + 1) + (2 + 1) + (2 + 3) + (2 + 1) + 1;   // f: a count and 4 names (u16 length + text); main: a count of 0
        var older = BytecodeModule.Parse(bytes.AsSpan(0, bytes.Length - localsPart));
        Assert.That(older.Functions[0].LocalNames, Is.Empty);
        Assert.That(older.Functions[0].LocalName(2), Is.EqualTo("local 2"));
        Assert.That(older.Functions[0].Lines, Is.EqualTo(module.Functions[0].Lines), "the line tables are read as before");
        Assert.That(older.Functions[1].Name, Is.EqualTo("main"));
    }
}
