using VirtualizationWorkbench.Bytecode.Compiler;
using VirtualizationWorkbench.Bytecode.Format;
using VirtualizationWorkbench.Bytecode.Host;
using VirtualizationWorkbench.Bytecode.MachinePlatform;
using VirtualizationWorkbench.Bytecode.Running;
using VirtualizationWorkbench.Bytecode.Rv32Platform;
using VirtualizationWorkbench.Bytecode.Verification;

namespace VirtualizationWorkbench.Bytecode.Tests;

/// <summary>Compiles, loads (parse and verify, as the VM's class loader does) and runs programs on each platform.</summary>
internal static class Programs
{
    /// <summary>A program that exercises every instruction: strings, arrays, recursion, loops, the arithmetic edges.</summary>
    public const string Tour = """
        // Every instruction of the bytecode at least once.
        fn puts(s[]) {
            var i = 0;
            while (i < len(s)) { putc(s[i]); i = i + 1; }
            return 0;
        }

        fn gcd(a, b) {
            while (b != 0) { var t = a % b; a = b; b = t; }
            return a;
        }

        fn fib(n) {
            if (n < 2) return n;
            return fib(n - 1) + fib(n - 2);
        }

        fn sieve(limit) {
            var composite = array(limit);
            var count = 0;
            var i = 2;
            while (i < limit) {
                if (!composite[i]) {
                    count = count + 1;
                    var j = i * i;
                    while (j < limit) { composite[j] = 1; j = j + i; }
                }
                i = i + 1;
            }
            return count;
        }

        fn deep(a, b, c, d, e, f, g) {
            // Enough operands at once that the JIT keeps some stack slots in memory.
            return a + (b + (c + (d + (e + (f + (g * (a - (b - c))))))));
        }

        fn main() {
            puts("hello, bytecode\n");
            print(gcd(1071, 462));
            print(fib(12));
            print(sieve(300));
            print(-2147483647 - 1);
            print((-2147483647 - 1) / -1);
            print((-2147483647 - 1) % -1);
            print(7 / -2);
            print(-7 % 3);
            print(1 < 2 && 3 > 4 || 5 == 5);
            print(2 <= 2 && 3 >= 4);
            print(0x7fffffff + 1);
            var i = 0;
            var sum = 0;
            while (i < 60) { sum = sum + deep(i, 2, 3, 4, 5, 6, 7) - i * 3; i = i + 1; }
            print(sum);
            return 42;
        }
        """;

    public static BytecodeModule Compile(string source, string file = "test.wl")
    {
        var module = WlCompiler.Compile(source, file);
        var bytes = module.ToBytes();
        var loaded = BytecodeModule.Parse(bytes);
        Verifier.Verify(loaded);
        return loaded;
    }

    public static VmRun Run(string source, string platform, long maxSteps = VmLimits.DefaultMaxSteps)
    {
        var module = WlCompiler.Compile(source, "test.wl");
        var bytes = module.ToBytes();
        var loaded = BytecodeModule.Parse(bytes);
        Verifier.Verify(loaded);
        return platform switch
        {
            "host" => new HostVm(loaded).Run(maxSteps),
            "machine" => new MachineVm(loaded, bytes).Run(maxSteps),
            "rv32" => new Rv32Vm(bytes).Run(maxSteps),
            _ => new MachineVm(loaded, bytes).Run(maxSteps, jit: true),
        };
    }
}
