namespace VirtualizationWorkbench.Machine.Virtualization;

/// <summary>
/// What a binary-translation monitor has done with each instruction slot of the guest kernel's code: the
/// interpreter consults it before every instruction the guest kernel executes (only in
/// <see cref="KernelRing"/>, only for pcs in [<see cref="Base"/>, Base + 4 × slots)), and stops with
/// <see cref="ExitReason.Translation"/> at anything not <see cref="TranslationState.Translated"/>.
/// </summary>
/// <remarks>
/// The translator's output for an innocuous instruction is the instruction itself, executed in place (what
/// VMware called an IDENT translation); sensitive and privileged ones become callouts into the monitor. Code
/// the kernel has not reached yet is untranslated, so the first execution of a block stops to translate it.
/// </remarks>
public sealed class TranslationMap(uint @base, uint length, int kernelRing)
{
    /// <summary>First guest-virtual address covered.</summary>
    public uint Base { get; } = @base;

    /// <summary>Bytes covered.</summary>
    public uint Length { get; } = length;

    /// <summary>The ring the translated guest kernel runs in; user code (other rings) runs untranslated.</summary>
    public int KernelRing { get; } = kernelRing;

    /// <summary>One entry per 4-byte instruction slot.</summary>
    public TranslationState[] Slots { get; } = new TranslationState[length / 4];

    /// <summary>The state of the slot holding <paramref name="pc"/>, or Translated for addresses outside the map.</summary>
    public TranslationState this[uint pc] => pc - Base < Length ? Slots[(pc - Base) >> 2] : TranslationState.Translated;

    /// <summary>Sets the slot holding <paramref name="pc"/>.</summary>
    public void Set(uint pc, TranslationState state)
    {
        if (pc - Base < Length) Slots[(pc - Base) >> 2] = state;
    }
}

/// <summary>
/// The interpreter's view of a <see cref="TranslationMap"/>, passed to <see cref="Core.Run{THooks}"/>: stops with
/// <see cref="ExitReason.Translation"/> before any guest-kernel instruction the map does not mark translated. The
/// hardware side of a binary-translation monitor.
/// </summary>
public readonly struct TranslationHooks(TranslationMap map) : Cpu.IExecutionHooks
{
    /// <inheritdoc/>
    public bool StopBefore(Core core, uint pc, out ExitReason reason)
    {
        reason = ExitReason.Translation;
        return core.State.Cpl == map.KernelRing && map[pc] != TranslationState.Translated;
    }
}

/// <summary>A slot of a <see cref="TranslationMap"/>.</summary>
public enum TranslationState : byte
{
    /// <summary>Not translated yet: executing it stops so the monitor can translate its block.</summary>
    Untranslated,
    /// <summary>Translated as itself: runs at full speed.</summary>
    Translated,
    /// <summary>Replaced by a call into the monitor, which emulates it.</summary>
    Callout,
}
