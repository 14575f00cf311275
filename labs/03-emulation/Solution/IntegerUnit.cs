namespace VirtualizationWorkbench.Labs.IntegerUnit;

/// <summary>
/// The integer unit of an RV32IM interpreter (the reference solution): OP-IMM, OP with the M extension, LUI and
/// AUIPC. See the exercise's copy of this file for the encodings.
/// </summary>
public static class IntegerUnit
{
    /// <summary>Executes <paramref name="word"/> at <paramref name="pc"/> on <paramref name="x"/>; false,
    /// changing nothing, for a word outside the group or an encoding it does not define.</summary>
    public static bool Execute(uint word, uint[] x, uint pc)
    {
        var rd = (int)(word >> 7) & 31;
        var funct3 = (word >> 12) & 7;
        var a = x[(word >> 15) & 31];
        var b = x[(word >> 20) & 31];
        var funct7 = word >> 25;
        uint? result = (word & 0x7F) switch
        {
            0x13 => RegisterImmediate(funct3, funct7, a, (uint)((int)word >> 20)),
            0x33 => funct7 switch
            {
                0x00 => Arithmetic(funct3, a, b, alternate: false),
                0x20 when funct3 is 0 or 5 => Arithmetic(funct3, a, b, alternate: true),
                0x01 => MultiplyDivide(funct3, a, b),
                _ => null,
            },
            0x37 => word & 0xFFFF_F000,
            0x17 => pc + (word & 0xFFFF_F000),
            _ => null,
        };
        if (result is not { } value) return false;
        if (rd != 0) x[rd] = value;
        return true;
    }

    private static uint? RegisterImmediate(uint funct3, uint funct7, uint a, uint immediate) => funct3 switch
    {
        1 when funct7 == 0x00 => a << (int)(immediate & 31),
        5 when funct7 == 0x00 => a >> (int)(immediate & 31),
        5 when funct7 == 0x20 => (uint)((int)a >> (int)(immediate & 31)),
        1 or 5 => null,
        _ => Arithmetic(funct3, a, immediate, alternate: false),
    };

    // The ALU shared by OP and OP-IMM: alternate selects sub and sra (funct7 0x20).
    private static uint Arithmetic(uint funct3, uint a, uint b, bool alternate) => funct3 switch
    {
        0 => alternate ? a - b : a + b,
        1 => a << (int)(b & 31),
        2 => (int)a < (int)b ? 1u : 0u,
        3 => a < b ? 1u : 0u,
        4 => a ^ b,
        5 => alternate ? (uint)((int)a >> (int)(b & 31)) : a >> (int)(b & 31),
        6 => a | b,
        _ => a & b,
    };

    private static uint MultiplyDivide(uint funct3, uint a, uint b) => funct3 switch
    {
        0 => a * b,
        1 => (uint)(((long)(int)a * (int)b) >> 32),
        2 => (uint)(((long)(int)a * (long)b) >> 32),
        3 => (uint)(((ulong)a * b) >> 32),
        4 => b == 0 ? uint.MaxValue : (int)a == int.MinValue && (int)b == -1 ? a : (uint)((int)a / (int)b),
        5 => b == 0 ? uint.MaxValue : a / b,
        6 => b == 0 ? a : (int)a == int.MinValue && (int)b == -1 ? 0 : (uint)((int)a % (int)b),
        _ => b == 0 ? a : a % b,
    };
}
