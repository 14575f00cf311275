using System.Buffers.Binary;
using System.Text;

namespace VirtualizationWorkbench.Sandbox.Registry;

/// <summary>A typed registry value. <see cref="Data"/> is a <see cref="string"/> for strings and expandable
/// strings, a <see cref="string"/> array for multi-strings, a <see cref="uint"/> for dwords, a <see cref="ulong"/>
/// for qwords and a <see cref="byte"/> array for everything else (binary, none, and types this model does not
/// name, which keep their number in <see cref="Type"/>).</summary>
public sealed class RegistryValue : IEquatable<RegistryValue>
{
    private RegistryValue(RegistryValueType type, object data)
    {
        Type = type;
        Data = data;
    }

    /// <summary>The value's type.</summary>
    public RegistryValueType Type { get; }

    /// <summary>The value's data, typed as the class summary says.</summary>
    public object Data { get; }

    /// <summary>A REG_SZ value.</summary>
    public static RegistryValue String(string text) => new(RegistryValueType.String, text);

    /// <summary>A REG_EXPAND_SZ value.</summary>
    public static RegistryValue ExpandString(string text) => new(RegistryValueType.ExpandString, text);

    /// <summary>A REG_MULTI_SZ value.</summary>
    public static RegistryValue MultiString(IEnumerable<string> lines) => new(RegistryValueType.MultiString, lines.ToArray());

    /// <summary>A REG_DWORD value.</summary>
    public static RegistryValue DWord(uint number) => new(RegistryValueType.DWord, number);

    /// <summary>A REG_QWORD value.</summary>
    public static RegistryValue QWord(ulong number) => new(RegistryValueType.QWord, number);

    /// <summary>A REG_BINARY value.</summary>
    public static RegistryValue Binary(byte[] bytes) => new(RegistryValueType.Binary, bytes.ToArray());

    /// <summary>A value of any type number, from its bytes as the registry stores them.</summary>
    /// <param name="type">The type number.</param>
    /// <param name="bytes">The stored bytes.</param>
    /// <param name="stringEncoding">How strings are stored: UTF-16 LE in the registry and in version 5 <c>.reg</c>
    /// files, a single-byte code page in REGEDIT4 files.</param>
    public static RegistryValue FromBytes(RegistryValueType type, byte[] bytes, Encoding stringEncoding)
    {
        switch (type)
        {
            case RegistryValueType.String:
            case RegistryValueType.ExpandString:
                return new RegistryValue(type, stringEncoding.GetString(bytes).TrimEnd('\0'));
            case RegistryValueType.MultiString:
                var text = stringEncoding.GetString(bytes);
                // Stored as "a\0b\0\0": the strings end at the first empty one.
                var lines = text.Split('\0');
                var count = Array.IndexOf(lines, "");
                return new RegistryValue(type, count < 0 ? lines : lines[..count]);
            case RegistryValueType.DWord when bytes.Length == 4:
                return DWord(BinaryPrimitives.ReadUInt32LittleEndian(bytes));
            case RegistryValueType.QWord when bytes.Length == 8:
                return QWord(BinaryPrimitives.ReadUInt64LittleEndian(bytes));
            default:
                return new RegistryValue(type, bytes.ToArray());
        }
    }

    /// <summary>The bytes the registry would store for this value.</summary>
    public byte[] ToBytes(Encoding stringEncoding)
    {
        switch (Data)
        {
            case string text:
                return stringEncoding.GetBytes(text + "\0");
            case string[] lines:
                return stringEncoding.GetBytes(string.Concat(lines.Select(line => line + "\0")) + "\0");
            case uint number:
                var dword = new byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(dword, number);
                return dword;
            case ulong number:
                var qword = new byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(qword, number);
                return qword;
            default:
                return ((byte[])Data).ToArray();
        }
    }

    /// <inheritdoc />
    public bool Equals(RegistryValue? other) =>
        other is not null && other.Type == Type && Data switch
        {
            string[] lines => other.Data is string[] others && lines.SequenceEqual(others),
            byte[] bytes => other.Data is byte[] others && bytes.AsSpan().SequenceEqual(others),
            _ => Data.Equals(other.Data),
        };

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RegistryValue);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, Data is Array array ? array.Length : Data.GetHashCode());

    /// <inheritdoc />
    public override string ToString() => Data switch
    {
        string[] lines => $"{Type}: [{string.Join(", ", lines)}]",
        byte[] bytes => $"{Type}: {Convert.ToHexString(bytes)}",
        _ => $"{Type}: {Data}",
    };
}
