using System.Diagnostics;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>What the monitor panel shows at one moment, copied out so the screen can draw it while the guest runs.</summary>
/// <param name="Pc">The guest's program counter.</param>
/// <param name="Ring">The ring the guest's code really runs in (deprivileged under a software monitor).</param>
/// <param name="Registers">r0-r15.</param>
/// <param name="Counters">The monitor's statistics (callouts, emulated instructions…), then the core's counters (exits by reason…), non-zero only.</param>
/// <param name="Console">The guest's console output, last lines.</param>
/// <param name="State">Where the run stands.</param>
/// <param name="Running">Whether the guest is running.</param>
public sealed record MonitoredView(uint Pc, int Ring, IReadOnlyList<uint> Registers, IReadOnlyList<CounterValue> Counters, IReadOnlyList<string> Console, string State, bool Running);

/// <summary>
/// A guest run under one of the course's monitors, as <c>workbench vm run -m MONITOR</c> runs it, but in slices
/// on a background task so the inspector can draw the monitor's statistics while it happens; run, pause, step
/// (one instruction), restart.
/// </summary>
public sealed class MonitoredRun : IDisposable
{
    private const long Slice = 20_000;
    private static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(40);
    private readonly InspectedProgram program;
    private VirtualMachineMonitor vm;
    private Task? runner;
    private volatile bool pauseRequested;
    private volatile bool running;
    private volatile MonitoredView? published;
    private string state = "paused at the entry point";

    /// <summary>Loads <paramref name="program"/> as the guest of monitor <paramref name="monitor"/>.</summary>
    /// <exception cref="UserError">An unknown monitor, or a guest that does not fit.</exception>
    public MonitoredRun(InspectedProgram program, string monitor)
    {
        this.program = program;
        Monitor = monitor;
        vm = Load();
    }

    /// <summary>The monitor's name (<c>binary-translation</c>…).</summary>
    public string Monitor { get; }

    /// <summary>The guest program.</summary>
    public InspectedProgram Program => program;

    /// <summary>Whether the guest runs on the background task.</summary>
    public bool Running => running;

    /// <summary>A line of news: why the run stopped.</summary>
    public string? Message { get; private set; }

    private VirtualMachineMonitor Load()
    {
        var created = MonitorCatalog.Create(Monitor, CostTables.Find("default")!)
            ?? throw new UserError($"-m: no monitor '{Monitor}'; choose from {string.Join(", ", MonitorCatalog.Names)}");
        try
        {
            created.Load(program.Image);
        }
        catch (ArgumentException e)
        {
            throw new UserError($"{program.Name}: {e.Message}");
        }
        return created;
    }

    /// <summary>The run as it is now (while running, the latest view the run published).</summary>
    public MonitoredView View() => running && published is { } latest ? latest : Capture(runningNow: false);

    /// <summary>Runs the guest until it halts or fails, or until <see cref="Pause"/>.</summary>
    public void Run()
    {
        if (running) return;
        pauseRequested = false;
        running = true;
        published = Capture(runningNow: true);
        Message = $"running under {Monitor}… (r pauses)";
        runner = Task.Run(RunSlices);
    }

    /// <summary>Runs one guest instruction.</summary>
    public void Step()
    {
        if (running)
        {
            Message = "the guest is running: pause it first (r)";
            return;
        }
        After(vm.Run(1));
    }

    /// <summary>Stops the run after its current slice and waits for it.</summary>
    public void Pause()
    {
        if (!running || runner is null) return;
        pauseRequested = true;
        runner.Wait();
    }

    /// <summary>Run or pause, whichever applies.</summary>
    public void ToggleRun()
    {
        if (running) Pause();
        else Run();
    }

    /// <summary>Starts again from the entry point with a fresh monitor (the program's file is read again).</summary>
    public MonitoredRun Restart()
    {
        Pause();
        return new MonitoredRun(program.Reload(), Monitor);
    }

    /// <inheritdoc/>
    public void Dispose() => Pause();

    private void RunSlices()
    {
        var clock = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        try
        {
            while (!pauseRequested)
            {
                var result = vm.Run(Slice);
                if (result.Outcome != MonitorOutcome.BudgetSpent)
                {
                    After(result);
                    return;
                }
                if (clock.Elapsed - last >= PublishInterval)
                {
                    last = clock.Elapsed;
                    published = Capture(runningNow: true);
                }
            }
            state = $"paused after {vm.Core.Counters.Instructions:N0} instructions";
            Message = "paused";
        }
        catch (Exception e)
        {
            // A fault in the simulator must not take the terminal down with it: report it and stop.
            state = "stopped by an internal error";
            Message = $"the run stopped on an internal error: {e.GetType().Name}: {e.Message}";
        }
        finally
        {
            running = false;
        }
    }

    private void After(MonitorRun result)
    {
        state = result.Outcome switch
        {
            MonitorOutcome.Halted => $"halted after {vm.Core.Counters.Instructions:N0} instructions",
            MonitorOutcome.BudgetSpent => $"stepped to 0x{vm.Core.State.Pc:x8}",
            _ => $"stopped: {result.Message}",
        };
        Message = result.Outcome == MonitorOutcome.Halted ? $"the guest halted under {Monitor}" : state;
    }

    private MonitoredView Capture(bool runningNow)
    {
        ref var s = ref vm.Core.State;
        var registers = new uint[16];
        for (var i = 0; i < 16; i++) registers[i] = s.R[i];
        var counters = vm.Statistics.Describe().Concat(vm.Core.Counters.Describe().Where(c => c.Value != 0)).Select(c => new CounterValue(c.Key, c.Value)).ToList();
        var console = vm.ConsoleOutput.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        return new MonitoredView(s.Pc, s.Cpl, registers, counters, console[Math.Max(0, console.Length - 200)..],
            runningNow ? $"running: {vm.Core.Counters.Instructions:N0} instructions" : state, runningNow);
    }
}
