namespace VirtualizationWorkbench.Machine.Virtualization;

/// <summary>What a virtual machine monitor did for its guest. Deterministic, like the core's counters.</summary>
public sealed class MonitorStatistics
{
    /// <summary>Privileged or sensitive instructions emulated on the virtual CPU.</summary>
    public ulong EmulatedInstructions;
    /// <summary>Exceptions and interrupts delivered into the guest through its own table.</summary>
    public ulong ReflectedEvents;
    /// <summary>Device register accesses emulated.</summary>
    public ulong DeviceAccesses;
    /// <summary>Page faults the guest never saw: filled in from its tables, or caught writes to them.</summary>
    public ulong HiddenPageFaults;
    /// <summary>Shadow page-table entries written.</summary>
    public ulong ShadowUpdates;
    /// <summary>Guest page-table writes the monitor caught and emulated.</summary>
    public ulong TracedPageTableWrites;
    /// <summary>Basic blocks translated.</summary>
    public ulong TranslatedBlocks;
    /// <summary>Instructions translated.</summary>
    public ulong TranslatedInstructions;
    /// <summary>Calls from translated code into the monitor.</summary>
    public ulong Callouts;
    /// <summary>Translations thrown away because the guest wrote to translated code.</summary>
    public ulong TranslationInvalidations;
    /// <summary>Hypercalls served.</summary>
    public ulong Hypercalls;
    /// <summary>Page-table entries updated through hypercalls (batched).</summary>
    public ulong PageTableUpdates;
    /// <summary>Requests the hypervisor refused (an update that would break isolation, a bad hypercall).</summary>
    public ulong Refusals;

    /// <summary>The non-zero statistics by name, in a fixed order.</summary>
    public IEnumerable<KeyValuePair<string, ulong>> Describe()
    {
        var all = new (string, ulong)[]
        {
            ("emulated-instructions", EmulatedInstructions), ("reflected-events", ReflectedEvents), ("device-accesses", DeviceAccesses),
            ("hidden-page-faults", HiddenPageFaults), ("shadow-updates", ShadowUpdates), ("traced-page-table-writes", TracedPageTableWrites),
            ("translated-blocks", TranslatedBlocks), ("translated-instructions", TranslatedInstructions), ("callouts", Callouts),
            ("translation-invalidations", TranslationInvalidations), ("hypercalls", Hypercalls), ("page-table-updates", PageTableUpdates),
            ("refusals", Refusals),
        };
        foreach (var (name, value) in all)
        {
            if (value != 0) yield return new(name, value);
        }
    }
}

/// <summary>How a monitored run ended.</summary>
public enum MonitorOutcome
{
    /// <summary>The guest halted for good (interrupts off, or nothing left to wake it).</summary>
    Halted,
    /// <summary>The budget of guest instructions is spent; the guest may continue with another Run.</summary>
    BudgetSpent,
    /// <summary>The guest failed: a triple fault, or something the monitor refuses (see the message).</summary>
    GuestFailed,
    /// <summary>The guest (a paravirtual domain) blocked until an event arrives for it.</summary>
    Blocked,
    /// <summary>The host asked the guest's core to stop (<see cref="Core.RequestStop"/>), from another thread
    /// say; the guest is intact and continues with another Run.</summary>
    Stopped,
}

/// <summary>The result of <see cref="VirtualMachineMonitor.Run"/>.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Message">Why, for failures.</param>
public readonly record struct MonitorRun(MonitorOutcome Outcome, string Message);
