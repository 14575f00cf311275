namespace VirtualizationWorkbench.Machine.Costs;

/// <summary>
/// The named cost tables of the overhead experiment. <see cref="Year2006"/> is calibrated so that the machine
/// reproduces the microbenchmark results of Adams and Agesen, "A Comparison of Software and Hardware Techniques
/// for x86 Virtualization" (ASPLOS 2006), measured on a 3.8 GHz Pentium 4 with first-generation VT-x (no nested
/// paging, VM exits of several thousand cycles); <see cref="Modern"/> reflects a recent processor (VM
/// exit and entry together under a thousand cycles, cheap exceptions). The calibration aims at which technique
/// wins each row and at the size of the gaps, not at every figure: the machine is not a Pentium 4.
/// </summary>
public static class CostTables
{
    /// <summary>2006 hardware: slow traps and very slow VM exits; port I/O to a real device is slow too.</summary>
    public static CostTable Year2006 { get; } = new()
    {
        Name = "2006",
        Simple = 1,
        Multiply = 4,
        Divide = 40,
        Branch = 3,
        Memory = 1,
        MemoryAccess = 1,
        PortIo = 3200,
        ControlRegister = 30,
        TlbInvalidate = 60,
        System = 10,
        Control = 5,
        PageWalk = 100,
        NestedPageWalk = 300,
        SoftwareInterrupt = 100,
        ExceptionDelivery = 750,
        RingTransition = 60,
        VmExit = 7900,
        VmEntry = 7800,
        HostExit = 800,
        Emulation = 150,
        Reflection = 1200,
        DeviceEmulation = 30,
        TranslationCallout = 30,
        IndirectBranch = 15,
        TranslateInstruction = 40,
        ShadowUpdate = 150,
        Hypercall = 500,
        PageTableValidation = 25,
    };

    /// <summary>Recent hardware: a VM exit and entry round trip in the hundreds of cycles, nested paging.</summary>
    public static CostTable Modern { get; } = new()
    {
        Name = "modern",
        Simple = 1,
        Multiply = 3,
        Divide = 25,
        Branch = 1,
        Memory = 1,
        MemoryAccess = 1,
        PortIo = 1500,
        ControlRegister = 20,
        TlbInvalidate = 40,
        System = 5,
        Control = 5,
        PageWalk = 40,
        NestedPageWalk = 120,
        SoftwareInterrupt = 60,
        ExceptionDelivery = 250,
        RingTransition = 30,
        VmExit = 450,
        VmEntry = 350,
        HostExit = 300,
        Emulation = 80,
        Reflection = 400,
        DeviceEmulation = 30,
        TranslationCallout = 20,
        IndirectBranch = 10,
        TranslateInstruction = 30,
        ShadowUpdate = 100,
        Hypercall = 200,
        PageTableValidation = 15,
    };

    /// <summary>A table by name ("default", "2006", "modern"), or null.</summary>
    public static CostTable? Find(string name) => name switch
    {
        "default" => CostTable.Default,
        "2006" => Year2006,
        "modern" => Modern,
        _ => null,
    };
}
