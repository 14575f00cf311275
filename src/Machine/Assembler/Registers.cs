namespace VirtualizationWorkbench.Machine.Assembler;

/// <summary>Register names the assembler accepts.</summary>
internal static class Registers
{
    public static readonly string[] GeneralNames = [.. Enumerable.Range(0, 16).Select(i => $"r{i}"), "sp", "fp"];
    public static readonly string[] ControlNames = ["cr0", "cr2", "cr3", "cr4", "ksp", "cr8"];

    /// <summary>The number of a general register (r0-r15, sp = r15, fp = r14), or -1.</summary>
    public static int General(string name)
    {
        var n = name.ToLowerInvariant();
        if (n == "sp") return 15;
        if (n == "fp") return 14;
        if (n.Length is 2 or 3 && n[0] == 'r' && int.TryParse(n.AsSpan(1), out var i) && i is >= 0 and < 16 && n == $"r{i}") return i;
        return -1;
    }

    /// <summary>The number of a control register (cr0, cr2, cr3, cr4 or ksp, cr8), or -1.</summary>
    public static int Control(string name) => name.ToLowerInvariant() switch
    {
        "cr0" => 0,
        "cr2" => 2,
        "cr3" => 3,
        "cr4" or "ksp" => 4,
        "cr8" => 8,
        _ => -1,
    };

    /// <summary>Whether a name looks like a register the user mistyped (r16, r-1, cr5).</summary>
    public static bool LooksLikeRegister(string name)
    {
        var n = name.ToLowerInvariant();
        return (n.Length >= 2 && n[0] == 'r' && n.Skip(1).All(char.IsDigit)) || (n.StartsWith("cr") && n.Length > 2 && n.Skip(2).All(char.IsDigit));
    }
}
