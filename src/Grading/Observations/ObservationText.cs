using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VirtualizationWorkbench.Grading;

/// <summary>The canonical text of an observed value: the same value always gives the same text, on every machine
/// and culture, whatever the student's types do in <c>ToString</c> for the types this knows. Long texts are kept
/// as a hash, so an observation stays small.</summary>
public static class ObservationText
{
    /// <summary>Texts longer than this are recorded as their SHA-256.</summary>
    public const int MaxLength = 200;

    /// <summary>The canonical text of <paramref name="value"/>.</summary>
    public static string Of(object? value)
    {
        var text = new StringBuilder();
        Append(text, value, depth: 0);
        if (text.Length <= MaxLength) return text.ToString();
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return $"sha256:{Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant()} ({text.Length} characters)";
    }

    private static void Append(StringBuilder text, object? value, int depth)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case string s:
                text.Append('"').Append(s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case char c:
                text.Append('\'').Append(c).Append('\'');
                break;
            case Enum e:
                text.Append(e.GetType().Name).Append('.').Append(e.ToString());
                break;
            case IFormattable f when value.GetType().IsPrimitive || value is decimal:
                text.Append(f.ToString(null, CultureInfo.InvariantCulture));
                break;
            case IEnumerable items when depth < 8:
                text.Append('[');
                var first = true;
                foreach (var item in items)
                {
                    if (!first) text.Append(", ");
                    first = false;
                    Append(text, item, depth + 1);
                    if (text.Length > 1 << 20) break; // hashed anyway: a bound on what an endless sequence costs
                }
                text.Append(']');
                break;
            case IFormattable f:
                text.Append(f.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                text.Append(value.ToString());
                break;
        }
    }
}
