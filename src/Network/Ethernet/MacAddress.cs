using System.Globalization;

namespace VirtualizationWorkbench.Network.Ethernet;

/// <summary>A 48-bit Ethernet address, kept in the low 48 bits of a <see cref="ulong"/> in wire order (the first
/// byte sent is bits 47-40), as the network card's MAC registers hold it.</summary>
public readonly record struct MacAddress(ulong Value)
{
    /// <summary>ff:ff:ff:ff:ff:ff, every station.</summary>
    public static MacAddress Broadcast => new(0xFFFF_FFFF_FFFF);

    /// <summary>Group (multicast or broadcast) addresses have the low bit of the first byte set; a switch never
    /// learns them as a source and always floods them.</summary>
    public bool IsGroup => ((Value >> 40) & 1) != 0;

    /// <summary>Reads the address at the start of <paramref name="bytes"/>.</summary>
    public static MacAddress Read(ReadOnlySpan<byte> bytes)
    {
        ulong value = 0;
        for (var i = 0; i < 6; i++) value = (value << 8) | bytes[i];
        return new MacAddress(value);
    }

    /// <summary>Writes the address in wire order into the first six bytes of <paramref name="bytes"/>.</summary>
    public void Write(Span<byte> bytes)
    {
        for (var i = 0; i < 6; i++) bytes[i] = (byte)(Value >> (40 - 8 * i));
    }

    /// <summary>Parses <c>02:00:00:00:00:0a</c> (or with dashes); false if it is not six hexadecimal bytes.</summary>
    public static bool TryParse(string text, out MacAddress address)
    {
        address = default;
        var parts = text.Split(':', '-');
        if (parts.Length != 6) return false;
        ulong value = 0;
        foreach (var part in parts)
        {
            if (part.Length is < 1 or > 2 || !byte.TryParse(part, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b)) return false;
            value = (value << 8) | b;
        }
        address = new MacAddress(value);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[6];
        Write(bytes);
        return Convert.ToHexStringLower(bytes).Chunk(2).Aggregate("", (text, pair) => text.Length == 0 ? new string(pair) : text + ":" + new string(pair));
    }
}
