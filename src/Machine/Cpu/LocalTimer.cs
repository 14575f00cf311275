namespace VirtualizationWorkbench.Machine.Cpu;

/// <summary>
/// A core's own programmable timer, like the x86 local APIC timer: it counts the core's virtual cycles and
/// raises IRQ 0 on that core. Ports (decoded by the core itself): 0x40 period in cycles, 0x41 control
/// (bit 0 enable, bit 1 periodic), 0x42 cycles left until it fires.
/// </summary>
public sealed class LocalTimer
{
    /// <summary>The interrupt line the timer raises.</summary>
    public const int Irq = 0;

    /// <summary>Cycles between firings.</summary>
    public uint Period { get; internal set; }

    /// <summary>Bit 0 enable, bit 1 periodic.</summary>
    public uint Control { get; internal set; }

    /// <summary>The cycle count at which it next fires, or <see cref="ulong.MaxValue"/> when disarmed.</summary>
    public ulong NextFire { get; internal set; } = ulong.MaxValue;

    /// <summary>Whether the timer will fire.</summary>
    public bool Armed => NextFire != ulong.MaxValue;

    internal void Write(uint register, uint value, ulong now)
    {
        if (register == 0) Period = value;
        else if (register == 1) Control = value;
        else return;
        NextFire = (Control & 1) != 0 && Period != 0 ? now + Period : ulong.MaxValue;
    }

    internal uint Read(uint register, ulong now) => register switch
    {
        0 => Period,
        1 => Control,
        2 => Armed ? (uint)Math.Min(NextFire - Math.Min(now, NextFire), uint.MaxValue) : 0,
        _ => 0,
    };

    /// <summary>Called when the cycle count reached <see cref="NextFire"/>: re-arms a periodic timer.</summary>
    internal void Fired(ulong now)
    {
        NextFire = (Control & 2) != 0 ? Math.Max(NextFire + Period, now + 1) : ulong.MaxValue;
        if ((Control & 2) == 0) Control &= ~1u;
    }

    internal void Save(BinaryWriter w)
    {
        w.Write(Period); w.Write(Control); w.Write(NextFire);
    }

    internal void Restore(BinaryReader r)
    {
        Period = r.ReadUInt32(); Control = r.ReadUInt32(); NextFire = r.ReadUInt64();
    }
}
