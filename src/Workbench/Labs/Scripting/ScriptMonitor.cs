using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Cli.Labs.Scripting;

/// <summary>
/// A virtual machine monitor as lab scripts see it (<c>var vm = lab.monitor("binary-translation")</c>): load a
/// guest (optionally built with defines), run it, and read its console, the core's counters and the monitor's
/// statistics. Documented in <c>curriculum/authoring.md</c>.
/// </summary>
public sealed class ScriptMonitor(VirtualMachineMonitor monitor, Func<string, (string Text, string Name)> resolveSource)
{
    /// <summary>A monitor of a technique (<see cref="MonitorCatalog.Names"/>), on a cost table ("default", "2006", "modern").</summary>
    public static VirtualMachineMonitor Create(string technique, string costTable)
    {
        var table = CostTables.Find(costTable) ?? throw new ScriptFailure($"monitor(…, '{costTable}'): cost tables are default, 2006 and modern");
        return MonitorCatalog.Create(technique, table)
            ?? throw new ScriptFailure($"monitor('{technique}'): the techniques are {string.Join(", ", MonitorCatalog.Names)}");
    }

    /// <summary>The technique's name.</summary>
    public string Name => monitor.Name;

    /// <summary>Loads a guest: an asm block, a work file or a shared guest (<c>"guests/minikernel.s"</c>).</summary>
    public ScriptMonitor Load(string name) => LoadWith(name, "");

    /// <summary>Loads a guest built with comma-separated defines, e.g. <c>"PARAVIRT"</c>.</summary>
    public ScriptMonitor LoadWith(string name, string defines)
    {
        var (text, source) = resolveSource(name);
        var result = Assembler.Assemble(text, source, new AssemblerOptions { Defines = defines.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) });
        if (!result.Succeeded) throw new ScriptFailure($"{source} does not assemble:\n" + string.Join("\n", result.Diagnostics.Select(d => d.Headline)));
        monitor.Load(result.Program!);
        return this;
    }

    /// <summary>Runs the guest for at most <paramref name="budget"/> instructions: <c>outcome</c> is "Halted",
    /// "BudgetSpent" or "GuestFailed", <c>message</c> says why.</summary>
    public ScriptMonitorRun Run(double budget)
    {
        if (budget is < 1 or > 1e9 || double.IsNaN(budget)) throw new ScriptFailure($"run(budget): 1 to 10^9 instructions, not {budget}");
        return new ScriptMonitorRun(monitor.Run((long)budget));
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
}
