using System.Text;
using System.Text.RegularExpressions;

namespace VirtualizationWorkbench.Labs;

/// <summary>
/// Who a student is, as the course knows them (a login, a matriculation number), and the seed their generated
/// question numbers come from. The seed is derived from the identity, so the instructor's grader recomputes every
/// student's numbers from the name on their submission alone, and two students' answers differ.
/// </summary>
public static partial class StudentIdentity
{
    /// <summary>Whether <paramref name="id"/> is a usable identity: 1 to 64 letters, digits, <c>-</c>, <c>_</c>,
    /// <c>.</c> or <c>@</c>, not starting with <c>.</c> (it names a submission folder).</summary>
    public static bool IsValid(string id) => Shape().IsMatch(id);

    /// <summary>The identity, checked; a <see cref="LabError"/> saying what is allowed otherwise.</summary>
    public static string Checked(string id) =>
        IsValid(id) ? id : throw new LabError($"'{LabParser.Printable(id)}' is not a student id: use 1 to 64 letters, digits, '-', '_', '.' or '@' (your login or student number), not starting with '.'");

    /// <summary>The seed of <paramref name="id"/>: stable on every machine and run (FNV-1a, not
    /// <c>string.GetHashCode</c>), never 0.</summary>
    public static int SeedOf(string id)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes("student/" + id))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return (int)(hash % (uint)(int.MaxValue - 1)) + 1;
    }

    [GeneratedRegex(@"^(?!\.)[A-Za-z0-9_.@-]{1,64}$")]
    private static partial Regex Shape();
}
