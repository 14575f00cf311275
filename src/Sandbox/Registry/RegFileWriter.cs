using System.Globalization;
using System.Text;

namespace VirtualizationWorkbench.Sandbox.Registry;

/// <summary>Writes <c>.reg</c> files as regedit does: the header, a blank line, then each key as <c>[KEY]</c>
/// followed by its values and a blank line; CRLF line ends; hex data wrapped with a trailing backslash near
/// column 80. Version 5 files are UTF-16 LE with a byte-order mark.</summary>
public static class RegFileWriter
{
    private const int WrapColumn = 76;

    /// <summary>The bytes of the file for <paramref name="document"/>.</summary>
    public static byte[] Write(RegFileDocument document, RegFileVersion version = RegFileVersion.Version5)
    {
        var text = ToText(document, version);
        return version == RegFileVersion.Version5
            ? [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]
            : Encoding.UTF8.GetBytes(text);
    }

    /// <summary>The text of the file for <paramref name="document"/>.</summary>
    public static string ToText(RegFileDocument document, RegFileVersion version = RegFileVersion.Version5)
    {
        var stringEncoding = version == RegFileVersion.Version5 ? Encoding.Unicode : Encoding.UTF8;
        var text = new StringBuilder();
        text.Append(version == RegFileVersion.Version5 ? "Windows Registry Editor Version 5.00" : "REGEDIT4").Append("\r\n\r\n");
        foreach (var key in document.Keys)
        {
            text.Append('[').Append(key.Delete ? "-" : "").Append(key.Path).Append("]\r\n");
            foreach (var (name, value) in key.Values)
            {
                var prefix = name.Length == 0 ? "@=" : $"\"{Escape(name)}\"=";
                text.Append(prefix).Append(Data(value, prefix.Length, stringEncoding)).Append("\r\n");
            }
            text.Append("\r\n");
        }
        return text.ToString();
    }

    private static string Data(RegistryValue? value, int column, Encoding stringEncoding)
    {
        if (value is null)
        {
            return "-";
        }
        if (value.Type == RegistryValueType.String && !((string)value.Data).Contains('\0', StringComparison.Ordinal))
        {
            return $"\"{Escape((string)value.Data)}\"";
        }
        if (value.Type == RegistryValueType.DWord && value.Data is uint number)
        {
            return "dword:" + number.ToString("x8", CultureInfo.InvariantCulture);
        }
        var prefix = value.Type == RegistryValueType.Binary ? "hex:" : $"hex({((int)value.Type).ToString("x", CultureInfo.InvariantCulture)}):";
        return prefix + Hex(value.ToBytes(stringEncoding), column + prefix.Length);
    }

    private static string Hex(byte[] bytes, int column)
    {
        var text = new StringBuilder();
        for (var i = 0; i < bytes.Length; i++)
        {
            text.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
            column += 2;
            if (i < bytes.Length - 1)
            {
                text.Append(',');
                column++;
                if (column >= WrapColumn)
                {
                    text.Append("\\\r\n  ");
                    column = 2;
                }
            }
        }
        return text.ToString();
    }

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
}
