using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// What a virtual machine monitor does for lab scripts (<c>const vm = lab.monitor("binary-translation")</c>):
/// load a guest (optionally built with defines), run it, and read its console, the core's counters and the
/// monitor's statistics. Documented in <c>curriculum/authoring.md</c>.
/// </summary>
public sealed class ScriptMonitor
{
    private readonly VirtualMachineMonitor monitor;
    private readonly ScriptFiles files;
    private readonly ScriptBudget budget;

    internal ScriptMonitor(VirtualMachineMonitor monitor, ScriptFiles files, ScriptBudget budget)
    {
        this.monitor = monitor;
        this.files = files;
        this.budget = budget;
    }

    /// <summary>The technique's name.</summary>
    public string Name => monitor.Name;

    /// <summary>Loads a guest built with comma-separated defines (e.g. <c>"PARAVIRT"</c>): an asm block, a
    /// work file or a shared guest (<c>"guests/minikernel.s"</c>).</summary>
    public ScriptMonitor Load(string name, string defines = "")
    {
        var (text, source) = files.Resolve(name);
        budget.ThrowIfSpent("vm.load()");
        var options = files.Assembler(defines.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var result = budget.Uncounted(() => Assembler.Assemble(text, source, options));
        if (!result.Succeeded) throw new ScriptFailure($"{source} does not assemble:\n" + string.Join("\n", result.Diagnostics.Select(d => d.Headline)));
        budget.Uncounted(() =>
        {
            monitor.Load(result.Program!);
            return true;
        });
        return this;
    }

    /// <summary>
    /// Runs the guest for at most <paramref name="instructions"/> (1 to 10^9): <c>outcome</c> is "Halted",
    /// "BudgetSpent" or "GuestFailed", <c>message</c> says why. The block's time limit stops a run that would
    /// outlast it.
    /// </summary>
    public ScriptMonitorRun Run(double instructions)
    {
        if (instructions is < 1 or > 1e9 || double.IsNaN(instructions)) throw new ScriptFailure($"run(budget): 1 to 10^9 instructions, not {instructions}");
        return new ScriptMonitorRun(budget.Run(monitor.Computer, () => monitor.Run((long)instructions), run => run.Outcome == MonitorOutcome.Stopped, "vm.run()"));
    }

    /// <summary>What the guest printed.</summary>
    public string Console() => monitor.ConsoleOutput;

    /// <summary>A core counter by its <c>--stats</c> name (<c>"cycles"</c>, <c>"vm-exits.IoInstruction"</c>, …); 0 if it never counted.</summary>
    public double Counter(string name)
    {
        foreach (var (key, value) in monitor.Core.Counters.Describe())
        {
            if (key == name) return value;
        }
        return 0;
    }

    /// <summary>A monitor statistic (<c>"emulated-instructions"</c>, <c>"callouts"</c>, <c>"hidden-page-faults"</c>,
    /// <c>"hypercalls"</c>, …); 0 if it never counted.</summary>
    public double Stat(string name)
    {
        foreach (var (key, value) in monitor.Statistics.Describe())
        {
            if (key == name) return value;
        }
        return 0;
    }

    /// <summary>Whether the guest's virtual interrupt flag is on (software monitors).</summary>
    public bool VirtualInterruptsEnabled => monitor.Vcpu.InterruptsEnabled;
}

/// <summary>How a monitored run ended, for scripts.</summary>
public sealed class ScriptMonitorRun(MonitorRun run)
{
    /// <summary>"Halted", "BudgetSpent" or "GuestFailed".</summary>
    public string Outcome { get; } = run.Outcome.ToString();

    /// <summary>Why.</summary>
    public string Message { get; } = run.Message;

    /// <inheritdoc/>
    public override string ToString() => Message.Length == 0 ? Outcome : $"{Outcome}: {Message}";
}
