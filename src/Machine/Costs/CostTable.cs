using System.Text.Json;
using System.Text.Json.Serialization;
using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Machine.Costs;

/// <summary>
/// Virtual cycles charged for each kind of work. Labs compare techniques in these cycles, which are
/// deterministic, never in wall-clock time. A table is immutable; make a variant with <c>with</c>, or load one
/// from JSON with <see cref="Load"/>.
/// </summary>
public sealed record CostTable
{
    /// <summary>The table's name, shown beside every figure computed with it.</summary>
    public string Name { get; init; } = "default";

    /// <summary>Register moves, arithmetic, logic and compares.</summary>
    public uint Simple { get; init; } = 1;
    /// <summary>Multiplication.</summary>
    public uint Multiply { get; init; } = 3;
    /// <summary>Division and remainder.</summary>
    public uint Divide { get; init; } = 20;
    /// <summary>Branches, calls, returns.</summary>
    public uint Branch { get; init; } = 1;
    /// <summary>Load/store instruction issue (each memory access is charged <see cref="MemoryAccess"/> on top).</summary>
    public uint Memory { get; init; } = 1;
    /// <summary>One data access to memory.</summary>
    public uint MemoryAccess { get; init; } = 1;
    /// <summary>A port access that reaches a device (the device's latency; an access that traps or exits
    /// instead is not charged this).</summary>
    public uint PortIo { get; init; } = 40;
    /// <summary>Control-register and interrupt-table moves.</summary>
    public uint ControlRegister { get; init; } = 10;
    /// <summary>TLB invalidation.</summary>
    public uint TlbInvalidate { get; init; } = 20;
    /// <summary>Flags push/pop, interrupt enable/disable, ring read.</summary>
    public uint System { get; init; } = 2;
    /// <summary>Halt, breakpoint, int, vmcall, iret issue.</summary>
    public uint Control { get; init; } = 5;
    /// <summary>A TLB miss: one page walk (two page-table reads).</summary>
    public uint PageWalk { get; init; } = 20;
    /// <summary>A page walk under nested paging: each guest level is itself walked through the nested table.</summary>
    public uint NestedPageWalk { get; init; } = 60;
    /// <summary>Delivering an exception or interrupt through the interrupt table.</summary>
    public uint ExceptionDelivery { get; init; } = 50;
    /// <summary>Delivering a software interrupt (<c>int n</c>, the system call) through the interrupt table:
    /// processors optimise this path, so it may cost less than a fault.</summary>
    public uint SoftwareInterrupt { get; init; } = 50;
    /// <summary>Extra for a change of ring on delivery or <c>iret</c>.</summary>
    public uint RingTransition { get; init; } = 30;
    /// <summary>A VM exit (non-root to root).</summary>
    public uint VmExit { get; init; } = 500;
    /// <summary>A VM entry (root to non-root).</summary>
    public uint VmEntry { get; init; } = 400;
    /// <summary>Leaving the core for the host: an intercepted trap, hypercall or I/O exit.</summary>
    public uint HostExit { get; init; } = 100;

    /// <summary>Monitor software: decoding and emulating one privileged or sensitive instruction on the virtual CPU.</summary>
    public uint Emulation { get; init; } = 60;
    /// <summary>Monitor software: delivering an exception or interrupt into a guest through its own table.</summary>
    public uint Reflection { get; init; } = 120;
    /// <summary>Monitor software: emulating one access to a device register.</summary>
    public uint DeviceEmulation { get; init; } = 100;
    /// <summary>Binary translation: the call from translated code into the monitor at a callout.</summary>
    public uint TranslationCallout { get; init; } = 20;
    /// <summary>Binary translation: an indirect branch (ret, jmpr, callr) in translated code, which must look its
    /// target up in the translation cache.</summary>
    public uint IndirectBranch { get; init; } = 30;
    /// <summary>Binary translation: translating one guest instruction, the first time it runs.</summary>
    public uint TranslateInstruction { get; init; } = 30;
    /// <summary>Shadow paging: filling or updating one shadow page-table entry.</summary>
    public uint ShadowUpdate { get; init; } = 100;
    /// <summary>Paravirtualization: entering and leaving the hypervisor for one hypercall.</summary>
    public uint Hypercall { get; init; } = 150;
    /// <summary>Paravirtualization: validating one page-table entry of a batched update.</summary>
    public uint PageTableValidation { get; init; } = 20;

    /// <summary>The table the core uses unless told otherwise.</summary>
    public static CostTable Default { get; } = new();

    /// <summary>The cost of issuing one instruction of <paramref name="cost"/>'s class.</summary>
    public uint Of(CostClass cost) => cost switch
    {
        CostClass.Simple => Simple,
        CostClass.Multiply => Multiply,
        CostClass.Divide => Divide,
        CostClass.Branch => Branch,
        CostClass.Memory => Memory,
        CostClass.PortIo => System,
        CostClass.ControlRegister => ControlRegister,
        CostClass.TlbInvalidate => TlbInvalidate,
        CostClass.System => System,
        CostClass.Control => Control,
        _ => throw new ArgumentOutOfRangeException(nameof(cost), cost, "unknown cost class"),
    };

    /// <summary>Issue cost per opcode, for the interpreter's hot loop (undefined opcodes cost <see cref="Simple"/>).</summary>
    public uint[] PerOpcode()
    {
        var costs = new uint[256];
        for (var op = 0; op < 256; op++)
        {
            var info = InstructionSet.Get((byte)op);
            costs[op] = info is null ? Simple : Of(info.Cost);
        }
        return costs;
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>Reads a table from JSON: any subset of the properties; the rest keep their defaults.</summary>
    /// <exception cref="FormatException">The JSON is malformed or names an unknown entry; the message says
    /// where.</exception>
    public static CostTable Parse(string json, string source = "cost table")
    {
        try
        {
            return JsonSerializer.Deserialize<CostTable>(json, Json)
                ?? throw new FormatException($"{source}: expected a JSON object");
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"{source}:{line + 1}:{(e.BytePositionInLine ?? 0) + 1}" : source;
            throw new FormatException($"{where}: {e.Message}", e);
        }
    }

    /// <summary>Reads a table from a JSON file.</summary>
    public static CostTable Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>The table as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
