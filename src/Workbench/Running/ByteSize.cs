using System.Globalization;

namespace VirtualizationWorkbench.Workbench.Running;

/// <summary>Sizes as users write them: <c>65536</c>, <c>64K</c>, <c>16M</c>, <c>1G</c> (binary units).</summary>
internal static class ByteSize
{
    public static uint Parse(string text, string option)
    {
        var t = text.Trim().ToUpperInvariant().TrimEnd('B', 'I');
        var multiplier = 1UL;
        if (t.EndsWith('K')) multiplier = 1UL << 10;
        else if (t.EndsWith('M')) multiplier = 1UL << 20;
        else if (t.EndsWith('G')) multiplier = 1UL << 30;
        if (multiplier != 1) t = t[..^1];
        if (!ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n * multiplier > uint.MaxValue)
        {
            throw new UserError($"{option}: '{text}' is not a size; write bytes or use K, M, G (e.g. 16M)");
        }
        return (uint)(n * multiplier);
    }
}
