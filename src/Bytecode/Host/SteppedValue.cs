using System.Globalization;
using VirtualizationWorkbench.Bytecode.Verification;

namespace VirtualizationWorkbench.Bytecode.Host;

/// <summary>A slot's value with the type the verifier proved it has there.</summary>
/// <param name="Raw">The 32-bit word (an array reference is a handle: 1 for the first array made).</param>
/// <param name="Type">What the slot holds.</param>
/// <param name="ArrayLength">The array's length, when it is an array reference.</param>
public readonly record struct SteppedValue(int Raw, SlotType Type, int ArrayLength)
{
    /// <summary>As a debugger shows it: <c>42</c>, <c>#1 int[20]</c>, or <c>? 7</c> for a local the code cannot read.</summary>
    public override string ToString() => Type switch
    {
        SlotType.Array => $"#{Raw} int[{ArrayLength}]",
        SlotType.Unusable => "? " + Raw.ToString(CultureInfo.InvariantCulture),
        _ => Raw.ToString(CultureInfo.InvariantCulture),
    };
}
