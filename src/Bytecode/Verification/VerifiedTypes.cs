namespace VirtualizationWorkbench.Bytecode.Verification;

/// <summary>The types the verifier proved before one instruction: of each operand-stack slot, bottom first, and of
/// each local.</summary>
/// <param name="Stack">The operand stack's types, bottom first.</param>
/// <param name="Locals">The locals' types, by index.</param>
public sealed record VerifiedTypes(IReadOnlyList<SlotType> Stack, IReadOnlyList<SlotType> Locals);
