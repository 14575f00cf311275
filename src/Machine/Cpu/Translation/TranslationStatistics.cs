namespace VirtualizationWorkbench.Machine.Cpu.Translation;

/// <summary>What a core's translator has done: the translation cost and how the code ran. Host-side figures,
/// not part of the machine's deterministic counters (they depend on the engine, not on the guest).</summary>
/// <param name="BlocksTranslated">Blocks compiled to IL (a block translated again after its code changed counts again).</param>
/// <param name="IlBytes">IL generated for them.</param>
/// <param name="TranslationTime">Host time spent translating (decoding, emitting IL, creating the delegates).</param>
/// <param name="BlocksExecuted">Translated blocks entered by the dispatcher.</param>
/// <param name="ChainedEntries">Of those, blocks entered through a chain rather than a cache lookup.</param>
/// <param name="BlocksInvalidated">Blocks dropped because the guest memory they were made from changed.</param>
/// <param name="InterpretedInstructions">Guest instructions the interpreter ran for the translator (the warm-up, cold code,
/// system instructions, slow memory accesses, the tail of a budget shorter than a block).</param>
/// <param name="EarlyExits">Blocks that left before their end for the interpreter (a TLB miss, a store near
/// translated code, a slow access).</param>
/// <param name="Verifications">Blocks compared with memory before running (after a write near translated code, a
/// device access, or the start of a run); a write elsewhere causes none.</param>
/// <param name="Faults">Blocks that left at an access that faulted on the slow path (a page fault taken from
/// translated code), the exception then delivered by the dispatcher.</param>
/// <param name="SlicesContinued">Blocks ending with <c>iret</c> after which the dispatcher went straight on,
/// because the run loop, to which the interpreter returns after every <c>iret</c>, would have found nothing to do
/// (no stop asked, no raised interrupt line with IF set).</param>
public readonly record struct TranslationStatistics(
    long BlocksTranslated,
    long IlBytes,
    TimeSpan TranslationTime,
    long BlocksExecuted,
    long ChainedEntries,
    long BlocksInvalidated,
    long InterpretedInstructions,
    long EarlyExits = 0,
    long Verifications = 0,
    long Faults = 0,
    long SlicesContinued = 0);
