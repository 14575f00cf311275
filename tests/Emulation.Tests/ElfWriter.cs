using System.Buffers.Binary;

namespace VirtualizationWorkbench.Emulation.Tests;

/// <summary>Writes the smallest static RV32 Linux executable: one read-write-execute segment at 0x10000 holding
/// code at <see cref="CodeAddress"/> and data after it. For generated programs, which then need no compiler.</summary>
internal static class ElfWriter
{
    public const uint Base = 0x10000;
    public const uint CodeAddress = Base + 0x100;

    public static uint DataAddress(int codeWords) => (CodeAddress + (uint)codeWords * 4 + 0xFFF) & ~0xFFFu;

    public static byte[] Write(IReadOnlyList<uint> code, ReadOnlySpan<byte> data, uint extraMemory = 0)
    {
        var dataAddress = DataAddress(code.Count);
        var fileSize = (int)(dataAddress - Base) + data.Length;
        var file = new byte[fileSize];
        var f = file.AsSpan();
        f[0] = 0x7F; f[1] = (byte)'E'; f[2] = (byte)'L'; f[3] = (byte)'F';
        f[4] = 1; f[5] = 1; f[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(f[16..], 2);       // ET_EXEC
        BinaryPrimitives.WriteUInt16LittleEndian(f[18..], 243);     // EM_RISCV
        BinaryPrimitives.WriteUInt32LittleEndian(f[20..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(f[24..], CodeAddress);
        BinaryPrimitives.WriteUInt32LittleEndian(f[28..], 52);      // e_phoff
        BinaryPrimitives.WriteUInt16LittleEndian(f[40..], 52);      // e_ehsize
        BinaryPrimitives.WriteUInt16LittleEndian(f[42..], 32);
        BinaryPrimitives.WriteUInt16LittleEndian(f[44..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(f[46..], 40);
        var ph = f[52..];
        BinaryPrimitives.WriteUInt32LittleEndian(ph, 1);            // PT_LOAD
        BinaryPrimitives.WriteUInt32LittleEndian(ph[4..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(ph[8..], Base);
        BinaryPrimitives.WriteUInt32LittleEndian(ph[12..], Base);
        BinaryPrimitives.WriteUInt32LittleEndian(ph[16..], (uint)fileSize);
        BinaryPrimitives.WriteUInt32LittleEndian(ph[20..], (uint)fileSize + extraMemory);
        BinaryPrimitives.WriteUInt32LittleEndian(ph[24..], 7);      // RWX
        BinaryPrimitives.WriteUInt32LittleEndian(ph[28..], 0x1000);
        for (var i = 0; i < code.Count; i++) BinaryPrimitives.WriteUInt32LittleEndian(f[(int)(CodeAddress - Base + i * 4)..], code[i]);
        data.CopyTo(f[(int)(dataAddress - Base)..]);
        return file;
    }
}
