using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Virtualization.Paravirtualization;

/// <summary>
/// What connects a front-end driver in a guest domain (DomU) to its back-end in the control domain (Dom0): one
/// granted page of DomU's memory holding a shared ring, and an event channel between the two. Dom0 cannot see
/// DomU's memory; it reaches the granted page only through grant-copy and grant-write hypercalls, which the
/// hypervisor checks. Events are pending bits; a domain that blocks sleeps until one is pending.
/// </summary>
public sealed class SplitDriverChannel
{
    /// <summary>What a refused channel hypercall returns in r0.</summary>
    public const uint Refused = 0xFFFF_FFFF;

    private readonly Dictionary<ParavirtualHypervisor, bool> pending = [];
    private ParavirtualHypervisor? grantor;
    private uint grantedPage;

    /// <summary>Events sent, both ways.</summary>
    public ulong Events { get; private set; }

    /// <summary>Bytes copied out of the granted page.</summary>
    public ulong BytesCopied { get; private set; }

    /// <summary>The domains on the channel.</summary>
    public List<ParavirtualHypervisor> Domains { get; } = [];

    /// <summary>Whether a domain has an event waiting.</summary>
    public bool HasEvent(ParavirtualHypervisor domain) => pending.GetValueOrDefault(domain);

    /// <summary>Reads a word of the granted page from the host (for the system's own checks).</summary>
    public uint ReadGranted(uint offset)
    {
        if (grantor is null) return 0;
        grantor.Guest.ToHost(grantedPage + offset, out var at);
        return grantor.Computer.Memory.ReadWord(at);
    }

    /// <summary>Serves a channel hypercall. Returns a run result when the caller must stop (it blocked).</summary>
    internal MonitorRun? Serve(ParavirtualHypervisor caller, Hypercall call, ref CpuState s, out uint result)
    {
        result = 0;
        switch (call)
        {
            case Hypercall.Grant:
                if (caller.Role != DomainRole.Guest || (s.R[1] & 0xFFF) != 0 || s.R[1] >= caller.Guest.Size) { result = Refused; break; }
                grantor = caller;
                grantedPage = s.R[1];
                break;
            case Hypercall.EventSend:
                Events++;
                foreach (var other in Domains)
                {
                    if (other != caller) pending[other] = true;
                }
                break;
            case Hypercall.Block:
                if (pending.GetValueOrDefault(caller))
                {
                    pending[caller] = false;
                    break;
                }
                return new MonitorRun(MonitorOutcome.Blocked, "waiting for an event");
            case Hypercall.GrantCopy:
                {
                    var (offset, destination, length) = (s.R[1], s.R[2], s.R[3]);
                    if (caller.Role != DomainRole.Control || grantor is null || length > 4096 || offset > 4096 - length) { result = Refused; break; }
                    for (var i = 0u; i < length; i += 4)
                    {
                        grantor.Guest.ToHost(grantedPage + offset + i, out var from);
                        if (!caller.Guest.TryWrite(destination + i, caller.Computer.Memory.ReadWord(from))) { result = Refused; break; }
                    }
                    BytesCopied += length;
                    caller.Core.Charge((ulong)length / 4);
                    break;
                }
            case Hypercall.GrantWrite:
                if (caller.Role != DomainRole.Control || grantor is null || s.R[1] > 4092 || (s.R[1] & 3) != 0) { result = Refused; break; }
                grantor.Guest.ToHost(grantedPage + s.R[1], out var to);
                grantor.Computer.Memory.WriteWord(to, s.R[2]);
                break;
        }
        return null;
    }

    /// <summary>Wakes a blocked domain whose event arrived; true if it may run.</summary>
    internal bool TryWake(ParavirtualHypervisor domain)
    {
        if (!pending.GetValueOrDefault(domain)) return false;
        pending[domain] = false;
        return true;
    }
}
