namespace VirtualizationWorkbench.Emulation.Elf;

/// <summary>A loadable segment (PT_LOAD): <see cref="Data"/> goes to <see cref="Address"/>, and the rest of
/// <see cref="MemorySize"/> (the .bss) is zero.</summary>
public sealed record ElfSegment(uint Address, uint MemorySize, byte[] Data, bool Executable, bool Writable);
