using static VirtualizationWorkbench.Emulation.Tests.Rv32Encoder;

namespace VirtualizationWorkbench.Emulation.Tests;

/// <summary>
/// Generates RV32IM programs from a seed: random values in x1-x29, then random arithmetic, M-extension,
/// shift, compare, load and store instructions (through x31, a pointer into a 4 KiB data area), forward branches
/// and jumps, counted loops (x30), and optionally code that rewrites one of its own instructions. At the end
/// the program writes its data area and registers to stdout and exits with a register's low byte. Every
/// instruction of RV32IM but ecall/fence is reachable; the output shows any difference from the oracle.
/// </summary>
internal sealed class RandomProgram
{
    private const int DataSize = 4096;
    private readonly Random random;
    private readonly List<uint> code = [];

    private RandomProgram(int seed) => random = new Random(seed);

    public static byte[] Generate(int seed, int length = 300, bool selfModifying = false)
    {
        var program = new RandomProgram(seed);
        return program.Build(length, selfModifying);
    }

    private int Reg() => random.Next(1, 30);          // x1-x29: free for random work
    private int AnyReg() => random.Next(0, 30);
    private uint Value() => random.Next(6) switch
    {
        0 => 0,
        1 => (uint)random.Next(-8, 8),
        2 => 0x8000_0000u,
        3 => 0x7FFF_FFFFu,
        _ => (uint)random.NextInt64(0, 1L << 32),
    };

    private byte[] Build(int length, bool selfModifying)
    {
        var data = new byte[DataSize];
        random.NextBytes(data);
        var dataAddress = ElfWriter.DataAddress(length * 8 + 400);
        // x31 points to the middle of the data area, so every 12-bit offset stays inside it.
        code.AddRange(Li(31, dataAddress + DataSize / 2));
        for (var r = 1; r < 30; r++) code.AddRange(Li(r, Value()));
        while (code.Count < length)
        {
            var choice = random.Next(100);
            if (choice < 35) Arithmetic();
            else if (choice < 45) MultiplyDivide();
            else if (choice < 60) Memory();
            else if (choice < 72) ForwardBranch();
            else if (choice < 76) ForwardJump();
            else if (choice < 82) Loop();
            else if (choice < 86 && selfModifying) SelfModify();
            else Upper();
        }
        Epilogue();
        return ElfWriter.Write(PadTo(code, length * 8 + 400), data, extraMemory: 256);
    }

    private static List<uint> PadTo(List<uint> words, int count)
    {
        if (words.Count > count) throw new InvalidOperationException("generated code outgrew its space");
        // Zeros after the exit: never run, they keep the data area where the prologue's pointer says.
        while (words.Count < count) words.Add(0);
        return words;
    }

    private void Arithmetic()
    {
        if (random.Next(2) == 0)
        {
            var (f7, f3) = random.Next(10) switch
            {
                0 => (0u, 0u),
                1 => (0x20u, 0u),
                2 => (0u, 1u),
                3 => (0u, 2u),
                4 => (0u, 3u),
                5 => (0u, 4u),
                6 => (0u, 5u),
                7 => (0x20u, 5u),
                8 => (0u, 6u),
                _ => (0u, 7u),
            };
            code.Add(R(f7, AnyReg(), AnyReg(), f3, Reg(), 0x33));
        }
        else
        {
            var f3 = (uint)random.Next(8);
            if (f3 is 1 or 5)
            {
                var f7 = f3 == 5 && random.Next(2) == 0 ? 0x20 : 0;
                code.Add(I((f7 << 5) | random.Next(32), AnyReg(), f3, Reg(), 0x13));
            }
            else
            {
                code.Add(I(random.Next(-2048, 2048), AnyReg(), f3, Reg(), 0x13));
            }
        }
    }

    private void MultiplyDivide() => code.Add(R(1, AnyReg(), AnyReg(), (uint)random.Next(8), Reg(), 0x33));

    private void Memory()
    {
        var offset = random.Next(-2048, 2045);
        if (random.Next(2) == 0)
        {
            uint[] loads = [0, 1, 2, 4, 5];
            code.Add(I(offset, 31, loads[random.Next(loads.Length)], Reg(), 0x03));
        }
        else
        {
            code.Add(S(offset, AnyReg(), 31, (uint)random.Next(3)));
        }
    }

    private void ForwardBranch()
    {
        uint[] conditions = [0, 1, 4, 5, 6, 7];
        var skip = random.Next(1, 4);
        code.Add(B((skip + 1) * 4, AnyReg(), AnyReg(), conditions[random.Next(conditions.Length)]));
        for (var i = 0; i < skip; i++) Arithmetic();
    }

    private void ForwardJump()
    {
        var skip = random.Next(1, 3);
        if (random.Next(2) == 0)
        {
            code.Add(J((skip + 1) * 4, Reg()));
        }
        else
        {
            // auipc rX, 0; jalr rY, 8 + 4 * skip(rX): rY may be rX (the target is computed before the link is written)
            var basis = Reg();
            var link = Reg();
            code.Add(U(0, basis, 0x17));
            code.Add(I(8 + 4 * skip, basis, 0, link, 0x67));
            for (var i = 0; i < skip; i++) Arithmetic();
            return;
        }
        for (var i = 0; i < skip; i++) Arithmetic();
    }

    private void Loop()
    {
        code.Add(Addi(30, 0, random.Next(1, 20)));
        var start = code.Count;
        var body = random.Next(1, 6);
        for (var i = 0; i < body; i++)
        {
            if (random.Next(3) == 0) MultiplyDivide();
            else Arithmetic();
        }
        code.Add(Addi(30, 30, -1));
        code.Add(B(-(code.Count - start) * 4, 0, 30, 1));   // bne x30, x0, start
    }

    // Writes "addi rd, rd, k" over a placeholder instruction P, calls it, writes another k and calls it again:
    // a translator must notice that its translated block changed.
    //   x30 = P; li x29, w1; sw x29, 0(x30); fence.i; jal x28, P; (again with w2); j after; P: nop; jalr x0, 0(x28)
    private void SelfModify()
    {
        var rd = random.Next(1, 28);
        var auipcAt = code.Count;
        code.Add(U(0, 30, 0x17));
        code.Add(0);                                   // addi x30, x30, offset of P: patched below
        var calls = new List<int>();
        for (var round = 0; round < 2; round++)
        {
            code.AddRange(Li(29, Addi(rd, rd, random.Next(-2048, 2048))));
            code.Add(S(0, 29, 30, 2));
            code.Add(0x0000_100F);                     // fence.i
            calls.Add(code.Count);
            code.Add(0);                               // jal x28, P: patched below
        }
        code.Add(J(12, 0));                            // over P and its return
        var placeholder = code.Count;
        code.Add(Addi(0, 0, 0));
        code.Add(I(0, 28, 0, 0, 0x67));                // jalr x0, 0(x28)
        code[auipcAt + 1] = Addi(30, 30, (placeholder - auipcAt) * 4);
        foreach (var call in calls) code[call] = J((placeholder - call) * 4, 28);
    }

    private void Upper()
    {
        code.Add(U((uint)random.NextInt64(0, 1L << 32), Reg(), random.Next(2) == 0 ? 0x37u : 0x17u));
    }

    private void Epilogue()
    {
        // Registers x1-x30 after the data area: x31 moves to its end, and they are stored above it.
        code.Add(Addi(31, 31, 2047));
        code.Add(Addi(31, 31, 1));
        for (var r = 1; r < 31; r++) code.Add(S(4 * r, r, 31, 2));
        code.Add(Addi(11, 31, -2048));        // a1 = start of the data area (x31 - 4096, in two steps of 12 bits)
        code.Add(Addi(11, 11, -2048));
        code.Add(Addi(10, 0, 1));             // a0 = stdout
        code.AddRange(Li(12, DataSize + 124)); // a2 = length
        code.Add(Addi(17, 0, 64));            // write
        code.Add(Ecall);
        code.Add(I(4 * 5, 31, 4, 10, 0x03));  // a0 = low byte of x5: the exit code
        code.Add(Addi(17, 0, 93));            // exit
        code.Add(Ecall);
    }
}
