using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Virtualization;

namespace VirtualizationWorkbench.Labs.ExitHandling.Grading;

/// <summary>
/// A guest in non-root mode under a minimal hypervisor (it lives with the grading tests; you write
/// <see cref="IoExitHandler"/>): the handler chooses the exits, the loop enters the guest, and every VM exit
/// goes to the handler, until the guest's hlt exits. The guest's kernel runs in its own ring 0.
/// </summary>
public sealed class GuestRun
{
    /// <summary>Loads <paramref name="source"/> as the guest.</summary>
    public GuestRun(string source)
    {
        Computer = new Computer(new MachineConfiguration { MemorySize = 1024 * 1024 });
        var program = Assembler.AssembleText(source, "guest.s");
        Computer.Load(program);
        Control.Guest = Computer.Cores[0].State;
    }

    /// <summary>The machine (its console receives what the guest writes without an exit).</summary>
    public Computer Computer { get; }

    /// <summary>The guest's control structure.</summary>
    public VirtualMachineControl Control { get; } = new()
    {
        // Start from nothing: the handler decides what exits.
        HltExiting = false,
        UnconditionalIoExiting = false,
        ExternalInterruptExiting = false,
        ControlRegisterWriteExiting = 0,
    };

    /// <summary>VM exits the handler took, by reason.</summary>
    public Dictionary<VmExitReason, int> Exits { get; } = [];

    /// <summary>Runs the guest under <paramref name="handler"/>: true when the guest's hlt exited, false when
    /// the budget ran out or an exit went unhandled (see <paramref name="reason"/>).</summary>
    public bool Run(IoExitHandler handler, out string reason, long budget = 100_000)
    {
        handler.Configure(Control);
        var core = Computer.Cores[0];
        var end = core.Counters.Instructions + (ulong)budget;
        while (core.Counters.Instructions < end)
        {
            if (!core.InGuestMode) core.EnterGuest(Control);
            var exit = core.Run((long)(end - core.Counters.Instructions));
            if (exit.Reason == ExitReason.BudgetSpent) continue;
            if (exit.Reason != ExitReason.VmExit)
            {
                reason = $"the guest stopped without a VM exit: {exit}";
                return false;
            }
            Exits[Control.ExitReason] = Exits.GetValueOrDefault(Control.ExitReason) + 1;
            if (Control.ExitReason == VmExitReason.Hlt)
            {
                reason = "";
                return true;
            }
            if (!handler.Handle(Control))
            {
                reason = $"unhandled VM exit {Control.ExitReason} (qualification 0x{Control.ExitQualification:x}) at 0x{Control.Guest.Pc:x8}";
                return false;
            }
        }
        reason = "the budget ran out: does hlt exit?";
        return false;
    }
}
