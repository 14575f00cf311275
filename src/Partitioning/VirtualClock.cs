namespace VirtualizationWorkbench.Partitioning;

/// <summary>The stated clock that turns the machine's virtual cycles into milliseconds: 100 MHz, so results are
/// the same on every host.</summary>
public static class VirtualClock
{
    /// <summary>Cycles per virtual millisecond.</summary>
    public const ulong CyclesPerMillisecond = 100_000;

    /// <summary>Cycles as milliseconds.</summary>
    public static double Milliseconds(ulong cycles) => cycles / (double)CyclesPerMillisecond;
}
