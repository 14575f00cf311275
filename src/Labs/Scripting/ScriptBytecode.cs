using VirtualizationWorkbench.Bytecode.Compiler;
using VirtualizationWorkbench.Bytecode.Format;
using VirtualizationWorkbench.Bytecode.Host;
using VirtualizationWorkbench.Bytecode.MachinePlatform;
using VirtualizationWorkbench.Bytecode.Running;
using VirtualizationWorkbench.Bytecode.Verification;

namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// A program in the workbench language as lab scripts see it (<c>const p = lab.bytecode("sum.wl")</c>): the
/// student's source from the work folder, compiled and verified, ready to run on the host VM, the machine VM, or
/// the machine VM with its JIT.
/// </summary>
public sealed class ScriptBytecode
{
    /// <summary>The most bytecode steps one run may take in a lab script.</summary>
    public const double MaxSteps = 5_000_000;

    private readonly BytecodeModule module;
    private readonly byte[] bytes;
    private readonly ScriptBudget budget;

    private ScriptBytecode(BytecodeModule module, byte[] bytes, ScriptBudget budget, string source, string file)
    {
        this.module = module;
        this.bytes = bytes;
        this.budget = budget;
        Source = source;
        File = file;
    }

    /// <summary>The module as loaded and verified (what the VMs run; the terminal UI steps through it).</summary>
    public BytecodeModule Module => module;

    /// <summary>The source text it was compiled from.</summary>
    public string Source { get; }

    /// <summary>The source's name in the work folder.</summary>
    public string File { get; }

    /// <summary>Compiles <paramref name="source"/> (named <paramref name="file"/> in errors); a compile or verify
    /// error fails the step with its file:line:column.</summary>
    internal static ScriptBytecode Compile(string source, string file, ScriptBudget budget)
    {
        try
        {
            var module = budget.Uncounted(() => WlCompiler.Compile(source, file));
            var bytes = module.ToBytes();
            var loaded = BytecodeModule.Parse(bytes);
            Verifier.Verify(loaded);
            return new ScriptBytecode(loaded, bytes, budget, source, file);
        }
        catch (CompileException e)
        {
            throw new ScriptFailure(e.Diagnostics[0].Headline);
        }
        catch (Exception e) when (e is VerifyException or BytecodeFormatException)
        {
            throw new ScriptFailure($"{file}: {e.Message}");
        }
    }

    /// <summary>The functions' names, by index.</summary>
    public string[] Functions => [.. module.Functions.Select(f => f.Name)];

    /// <summary>The module's size in bytes, as a <c>.vbc</c> file.</summary>
    public double Size => bytes.Length;

    /// <summary>Runs the program on <paramref name="platform"/>: "host", "machine" or "machine-jit".</summary>
    public Result Run(string platform, double maxSteps)
    {
        if (double.IsNaN(maxSteps) || maxSteps < 1 || maxSteps > MaxSteps) throw new ScriptFailure($"p.run(platform, maxSteps): maxSteps is 1 to {MaxSteps:N0}, not {maxSteps}");
        if (platform is not ("host" or "machine" or "machine-jit")) throw new ScriptFailure($"p.run('{platform}'): the platforms are host, machine and machine-jit");
        budget.ThrowIfSpent("p.run()");
        if (platform != "host") budget.Claim(16 * 1024 * 1024, "p.run()");
        var vm = platform == "host" ? null : new MachineVm(module, bytes);
        var run = budget.Uncounted(() => vm is null ? new HostVm(module).Run((long)maxSteps) : vm.Run((long)maxSteps, jit: platform == "machine-jit"));
        budget.ThrowIfSpent("p.run()");
        var text = run.Text;
        return new Result(text.Length > 1 << 20 ? text[^(1 << 20)..] : text, run.Result, run.Error?.Describe(module) ?? "", run.Steps, run.Cycles, run.MachineInstructions,
            vm is null ? [] : [.. vm.CompiledFunctions]);
    }

    /// <summary>What a run gave: output, result, the error ("" for none), counters and the functions compiled.</summary>
    public sealed record Result(string Output, double Value, string Error, double Steps, double Cycles, double Instructions, string[] Compiled);
}
