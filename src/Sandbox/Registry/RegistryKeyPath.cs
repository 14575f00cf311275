namespace VirtualizationWorkbench.Sandbox.Registry;

/// <summary>Registry key paths: <c>HKEY_CURRENT_USER\Software\Vendor</c>, with the hive named in full or by its
/// usual abbreviation (HKCU, HKLM, HKCR, HKU, HKCC). Key names compare without case, as on Windows.</summary>
public static class RegistryKeyPath
{
    /// <summary>The hives, in their full names.</summary>
    public static readonly IReadOnlyList<string> Hives =
        ["HKEY_CLASSES_ROOT", "HKEY_CURRENT_USER", "HKEY_LOCAL_MACHINE", "HKEY_USERS", "HKEY_CURRENT_CONFIG"];

    private static readonly Dictionary<string, string> HiveByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HKEY_CLASSES_ROOT"] = "HKEY_CLASSES_ROOT",
        ["HKCR"] = "HKEY_CLASSES_ROOT",
        ["HKEY_CURRENT_USER"] = "HKEY_CURRENT_USER",
        ["HKCU"] = "HKEY_CURRENT_USER",
        ["HKEY_LOCAL_MACHINE"] = "HKEY_LOCAL_MACHINE",
        ["HKLM"] = "HKEY_LOCAL_MACHINE",
        ["HKEY_USERS"] = "HKEY_USERS",
        ["HKU"] = "HKEY_USERS",
        ["HKEY_CURRENT_CONFIG"] = "HKEY_CURRENT_CONFIG",
        ["HKCC"] = "HKEY_CURRENT_CONFIG",
    };

    /// <summary>The longest key name Windows allows, in characters.</summary>
    public const int MaxKeyNameLength = 255;

    /// <summary>The most levels of keys Windows allows below a hive.</summary>
    public const int MaxDepth = 512;

    /// <summary>Splits a path into its hive (full name) and key names.</summary>
    /// <exception cref="ArgumentException">The path does not start with a known hive, has an empty key name, a key
    /// name longer than <see cref="MaxKeyNameLength"/> or more than <see cref="MaxDepth"/> levels.</exception>
    public static string[] Split(string path)
    {
        var parts = path.Trim().Trim('\\').Split('\\');
        if (!HiveByName.TryGetValue(parts[0], out var hive))
        {
            throw new ArgumentException($"'{parts[0]}' is not a registry hive; expected one of {string.Join(", ", Hives)}.", nameof(path));
        }
        if (parts.Skip(1).Any(part => part.Length == 0))
        {
            throw new ArgumentException($"The registry path '{path}' has an empty key name.", nameof(path));
        }
        // Windows' limits: without them one 40 KB line of a .reg file makes a key 20,000 levels deep, whose export
        // repeats its growing path at every level (800 MB).
        if (parts.Length - 1 > MaxDepth)
        {
            throw new ArgumentException($"The registry path is {parts.Length - 1} keys deep; Windows allows at most {MaxDepth} levels below the hive.", nameof(path));
        }
        foreach (var part in parts.Skip(1))
        {
            if (part.Length > MaxKeyNameLength)
            {
                throw new ArgumentException($"The registry key name '{part[..20]}…' is {part.Length} characters long; Windows allows at most {MaxKeyNameLength}.", nameof(path));
            }
        }
        parts[0] = hive;
        return parts;
    }

    /// <summary>The path in canonical form (full hive name).</summary>
    public static string Normalize(string path) => string.Join('\\', Split(path));

    /// <summary>Joins a key path and a subkey path.</summary>
    public static string Combine(string path, string subKey) =>
        subKey.Trim('\\').Length == 0 ? path : path.TrimEnd('\\') + "\\" + subKey.Trim('\\');
}
