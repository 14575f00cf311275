namespace VirtualizationWorkbench.Machine.Cpu;

/// <summary>
/// The VW32 instruction set as one table: the single source the assembler, the disassembler, the cost
/// model and the reference documentation agree on. Lookups are by opcode (an array) or by mnemonic.
/// </summary>
public static class InstructionSet
{
    private static readonly InstructionInfo?[] ByOpcode = new InstructionInfo?[256];
    private static readonly Dictionary<string, InstructionInfo> ByMnemonic = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every defined instruction, in opcode order.</summary>
    public static IReadOnlyList<InstructionInfo> All { get; }

    static InstructionSet()
    {
        var all = new List<InstructionInfo>
        {
            I(Opcode.Nop, "nop", OperandForm.None, CostClass.Simple, "do nothing"),
            P(Opcode.Hlt, "hlt", OperandForm.None, CostClass.Control, "stop until the next interrupt"),
            P(Opcode.Cli, "cli", OperandForm.None, CostClass.System, "clear the interrupt flag (mask interrupts)"),
            P(Opcode.Sti, "sti", OperandForm.None, CostClass.System, "set the interrupt flag (accept interrupts)"),
            S(Opcode.Pushf, "pushf", OperandForm.None, CostClass.System, "push the real flags, interrupt flag and current ring included"),
            S(Opcode.Popf, "popf", OperandForm.None, CostClass.System, "pop the flags; outside ring 0 the interrupt flag is silently left unchanged"),
            P(Opcode.Iret, "iret", OperandForm.None, CostClass.Control, "return from an interrupt: pop error code, pc, flags and stack pointer"),
            I(Opcode.Brk, "brk", OperandForm.None, CostClass.Control, "raise the breakpoint exception (#BP, vector 3)"),
            I(Opcode.Int, "int", OperandForm.Vector, CostClass.Control, "raise software interrupt imm8 (system call: int 0x80)"),
            I(Opcode.Vmcall, "vmcall", OperandForm.None, CostClass.Control, "hypercall: exit to the hypervisor with r0 = number, r1-r3 = arguments"),
            I(Opcode.Ret, "ret", OperandForm.None, CostClass.Branch, "pop the return address into pc"),
            P(Opcode.Invtlb, "invtlb", OperandForm.None, CostClass.TlbInvalidate, "invalidate the whole TLB"),
            S(Opcode.Getcpl, "getcpl", OperandForm.Destination, CostClass.System, "rd = current ring (0-3)"),
            S(Opcode.Sidt, "sidt", OperandForm.Destination, CostClass.ControlRegister, "rd = the real interrupt-table base"),
            S(Opcode.Smsw, "smsw", OperandForm.Destination, CostClass.ControlRegister, "rd = low 16 bits of cr0 (the machine status word)"),
            P(Opcode.Lidt, "lidt", OperandForm.Source, CostClass.ControlRegister, "interrupt-table base = rs"),
            P(Opcode.Invlpg, "invlpg", OperandForm.Source, CostClass.TlbInvalidate, "invalidate the TLB entry of the page holding address rs"),
            P(Opcode.Mtcr, "mov", OperandForm.ToControlRegister, CostClass.ControlRegister, "crN = rs"),
            P(Opcode.Mfcr, "mov", OperandForm.FromControlRegister, CostClass.ControlRegister, "rd = crN"),
            P(Opcode.In, "in", OperandForm.PortIn, CostClass.PortIo, "rd = 32-bit input from port imm16"),
            P(Opcode.Out, "out", OperandForm.PortOut, CostClass.PortIo, "32-bit output of rs to port imm16"),
            I(Opcode.Cpuid, "cpuid", OperandForm.Destination, CostClass.Simple, "rd = the index of the core running this instruction"),
            I(Opcode.Rdcycle, "rdcycle", OperandForm.Destination, CostClass.Simple, "rd = low 32 bits of this core's virtual cycle counter"),
            I(Opcode.Xchg, "xchg", OperandForm.Load, CostClass.Memory, "atomically swap rd with the word at [rs + disp16]"),
            I(Opcode.Push, "push", OperandForm.Source, CostClass.Memory, "sp -= 4; [sp] = rs"),
            I(Opcode.Pop, "pop", OperandForm.Destination, CostClass.Memory, "rd = [sp]; sp += 4"),
            I(Opcode.Callr, "callr", OperandForm.Source, CostClass.Branch, "push the return address; pc = rs"),
            I(Opcode.Jmpr, "jmpr", OperandForm.Source, CostClass.Branch, "pc = rs"),

            I(Opcode.Mov, "mov", OperandForm.TwoRegisters, CostClass.Simple, "rd = rs"),
            I(Opcode.Li, "li", OperandForm.RegisterImmediate32, CostClass.Simple, "rd = imm32 (two words)"),
            I(Opcode.Not, "not", OperandForm.TwoRegisters, CostClass.Simple, "rd = ~rs; sets Z, N"),
            I(Opcode.Neg, "neg", OperandForm.TwoRegisters, CostClass.Simple, "rd = 0 - rs; sets Z, N, C, V"),

            I(Opcode.Add, "add", OperandForm.ThreeRegisters, CostClass.Simple, "rd = rs + rt; sets Z, N, C, V"),
            I(Opcode.Sub, "sub", OperandForm.ThreeRegisters, CostClass.Simple, "rd = rs - rt; sets Z, N, C (borrow), V"),
            I(Opcode.And, "and", OperandForm.ThreeRegisters, CostClass.Simple, "rd = rs & rt; sets Z, N; clears C, V"),
            I(Opcode.Or, "or", OperandForm.ThreeRegisters, CostClass.Simple, "rd = rs | rt; sets Z, N; clears C, V"),
            I(Opcode.Xor, "xor", OperandForm.ThreeRegisters, CostClass.Simple, "rd = rs ^ rt; sets Z, N; clears C, V"),
            I(Opcode.Shl, "shl", OperandForm.ThreeRegisters, CostClass.Simple, "rd = rs << (rt & 31); sets Z, N"),
            I(Opcode.Shr, "shr", OperandForm.ThreeRegisters, CostClass.Simple, "rd = rs >> (rt & 31), zero-filling; sets Z, N"),
            I(Opcode.Sar, "sar", OperandForm.ThreeRegisters, CostClass.Simple, "rd = rs >> (rt & 31), sign-filling; sets Z, N"),
            I(Opcode.Mul, "mul", OperandForm.ThreeRegisters, CostClass.Multiply, "rd = low 32 bits of rs * rt; sets Z, N"),
            I(Opcode.Div, "div", OperandForm.ThreeRegisters, CostClass.Divide, "rd = rs / rt, signed; #DE if rt = 0 or the quotient overflows"),
            I(Opcode.Divu, "divu", OperandForm.ThreeRegisters, CostClass.Divide, "rd = rs / rt, unsigned; #DE if rt = 0"),
            I(Opcode.Rem, "rem", OperandForm.ThreeRegisters, CostClass.Divide, "rd = rs % rt, signed; #DE if rt = 0 or the quotient overflows"),
            I(Opcode.Remu, "remu", OperandForm.ThreeRegisters, CostClass.Divide, "rd = rs % rt, unsigned; #DE if rt = 0"),
            I(Opcode.Cmp, "cmp", OperandForm.TwoRegisters, CostClass.Simple, "set Z, N, C, V from rd - rs"),
            I(Opcode.Test, "test", OperandForm.TwoRegisters, CostClass.Simple, "set Z, N from rd & rs; clear C, V"),

            I(Opcode.Addi, "addi", OperandForm.RegistersImmediate, CostClass.Simple, "rd = rs + sign-extended imm16; sets Z, N, C, V"),
            I(Opcode.Andi, "andi", OperandForm.RegistersImmediate, CostClass.Simple, "rd = rs & zero-extended imm16; sets Z, N; clears C, V"),
            I(Opcode.Ori, "ori", OperandForm.RegistersImmediate, CostClass.Simple, "rd = rs | zero-extended imm16; sets Z, N; clears C, V"),
            I(Opcode.Xori, "xori", OperandForm.RegistersImmediate, CostClass.Simple, "rd = rs ^ zero-extended imm16; sets Z, N; clears C, V"),
            I(Opcode.Shli, "shli", OperandForm.RegistersImmediate, CostClass.Simple, "rd = rs << (imm16 & 31); sets Z, N"),
            I(Opcode.Shri, "shri", OperandForm.RegistersImmediate, CostClass.Simple, "rd = rs >> (imm16 & 31), zero-filling; sets Z, N"),
            I(Opcode.Sari, "sari", OperandForm.RegistersImmediate, CostClass.Simple, "rd = rs >> (imm16 & 31), sign-filling; sets Z, N"),
            I(Opcode.Muli, "muli", OperandForm.RegistersImmediate, CostClass.Multiply, "rd = rs * sign-extended imm16; sets Z, N"),
            I(Opcode.Cmpi, "cmpi", OperandForm.RegisterImmediate, CostClass.Simple, "set Z, N, C, V from rd - sign-extended imm16"),

            I(Opcode.Ld, "ld", OperandForm.Load, CostClass.Memory, "rd = 32-bit word at [rs + disp16]"),
            I(Opcode.Ldb, "ldb", OperandForm.Load, CostClass.Memory, "rd = zero-extended byte at [rs + disp16]"),
            I(Opcode.St, "st", OperandForm.Store, CostClass.Memory, "32-bit word at [rs + disp16] = rd"),
            I(Opcode.Stb, "stb", OperandForm.Store, CostClass.Memory, "byte at [rs + disp16] = low 8 bits of rd"),

            I(Opcode.Jmp, "jmp", OperandForm.Branch, CostClass.Branch, "jump"),
            I(Opcode.Je, "je", OperandForm.Branch, CostClass.Branch, "jump if equal (Z)"),
            I(Opcode.Jne, "jne", OperandForm.Branch, CostClass.Branch, "jump if not equal (!Z)"),
            I(Opcode.Jl, "jl", OperandForm.Branch, CostClass.Branch, "jump if less, signed (N != V)"),
            I(Opcode.Jge, "jge", OperandForm.Branch, CostClass.Branch, "jump if greater or equal, signed (N = V)"),
            I(Opcode.Jle, "jle", OperandForm.Branch, CostClass.Branch, "jump if less or equal, signed (Z or N != V)"),
            I(Opcode.Jg, "jg", OperandForm.Branch, CostClass.Branch, "jump if greater, signed (!Z and N = V)"),
            I(Opcode.Jb, "jb", OperandForm.Branch, CostClass.Branch, "jump if below, unsigned (C)"),
            I(Opcode.Jae, "jae", OperandForm.Branch, CostClass.Branch, "jump if above or equal, unsigned (!C)"),
            I(Opcode.Jbe, "jbe", OperandForm.Branch, CostClass.Branch, "jump if below or equal, unsigned (C or Z)"),
            I(Opcode.Ja, "ja", OperandForm.Branch, CostClass.Branch, "jump if above, unsigned (!C and !Z)"),
            I(Opcode.Js, "js", OperandForm.Branch, CostClass.Branch, "jump if negative (N)"),
            I(Opcode.Jns, "jns", OperandForm.Branch, CostClass.Branch, "jump if not negative (!N)"),
            I(Opcode.Call, "call", OperandForm.Branch, CostClass.Branch, "push the return address and jump"),
        };
        foreach (var info in all)
        {
            ByOpcode[(byte)info.Opcode] = info;
            // "mov" names three opcodes; the assembler picks by operand kinds, so the table keeps the
            // register form under the plain name.
            if (info.Opcode is not (Opcode.Mtcr or Opcode.Mfcr))
            {
                ByMnemonic.Add(info.Mnemonic, info);
            }
        }
        All = all;
    }

    /// <summary>The instruction with this opcode, or null if the opcode is undefined.</summary>
    public static InstructionInfo? Get(byte opcode) => ByOpcode[opcode];

    /// <summary>The instruction with this opcode.</summary>
    public static InstructionInfo Get(Opcode opcode) => ByOpcode[(byte)opcode]!;

    /// <summary>The instruction with this mnemonic (case-insensitive), or null.</summary>
    public static InstructionInfo? Find(string mnemonic) => ByMnemonic.GetValueOrDefault(mnemonic);

    /// <summary>Every mnemonic, for suggestions on typos.</summary>
    public static IEnumerable<string> Mnemonics => ByMnemonic.Keys;

    private static InstructionInfo I(Opcode op, string name, OperandForm form, CostClass cost, string summary) =>
        new(op, name, form, Privileged: false, Sensitive: false, cost, summary);

    private static InstructionInfo P(Opcode op, string name, OperandForm form, CostClass cost, string summary) =>
        new(op, name, form, Privileged: true, Sensitive: true, cost, summary);

    private static InstructionInfo S(Opcode op, string name, OperandForm form, CostClass cost, string summary) =>
        new(op, name, form, Privileged: false, Sensitive: true, cost, summary);
}
