using Microsoft.Win32;
using VirtualizationWorkbench.Sandbox.Registry;
using VirtualizationWorkbench.Sandbox.Runtime;

// The registry enums are marked Windows-only because the real registry is; here they are plain numbers, and
// this class is what makes them mean something on every platform.
#pragma warning disable CA1416

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Replaces <see cref="RegistryKey"/> in the rewritten application: the same members, answered by the
/// virtual registry, on every platform. Values convert as the real registry converts them: int → dword,
/// long → qword, string[] → multi-string, byte[] → binary, anything else → its string.</summary>
[SubstitutesType(typeof(RegistryKey))]
public sealed class SandboxRegistryKey : IDisposable
{
    private readonly bool _writable;
    private bool _closed;

    internal SandboxRegistryKey(string name, bool writable)
    {
        Name = name;
        _writable = writable;
    }

    private static VirtualRegistry Registry => SandboxRuntime.Current.Registry;

    /// <summary>The key's full path.</summary>
    public string Name { get; }

    public int SubKeyCount => Registry.GetSubKeyNames(Checked()).Count;

    public int ValueCount => Registry.GetValueNames(Checked()).Count;

    public RegistryView View => RegistryView.Default;

    public static SandboxRegistryKey OpenBaseKey(RegistryHive hKey, RegistryView view)
    {
        _ = view;
        return new SandboxRegistryKey(hKey switch
        {
            RegistryHive.ClassesRoot => "HKEY_CLASSES_ROOT",
            RegistryHive.CurrentUser => "HKEY_CURRENT_USER",
            RegistryHive.LocalMachine => "HKEY_LOCAL_MACHINE",
            RegistryHive.Users => "HKEY_USERS",
            RegistryHive.CurrentConfig => "HKEY_CURRENT_CONFIG",
            _ => throw new ArgumentException($"The registry hive {hKey} is not available in the sandbox.", nameof(hKey)),
        }, writable: true);
    }

    public SandboxRegistryKey? OpenSubKey(string name) => OpenSubKey(name, false);

    public SandboxRegistryKey? OpenSubKey(string name, bool writable)
    {
        var path = RegistryKeyPath.Combine(Checked(), name);
        return Registry.KeyExists(path) ? new SandboxRegistryKey(path, writable) : null;
    }

    public SandboxRegistryKey CreateSubKey(string subkey) => CreateSubKey(subkey, true);

    public SandboxRegistryKey CreateSubKey(string subkey, bool writable)
    {
        var path = RegistryKeyPath.Combine(Writable(), subkey);
        Registry.CreateKey(path);
        return new SandboxRegistryKey(path, writable);
    }

    public void DeleteSubKey(string subkey) => DeleteSubKey(subkey, true);

    public void DeleteSubKey(string subkey, bool throwOnMissingSubKey)
    {
        if (!Registry.DeleteKey(RegistryKeyPath.Combine(Writable(), subkey), recursive: false) && throwOnMissingSubKey)
        {
            throw new ArgumentException("Cannot delete a subkey tree because the subkey does not exist.", nameof(subkey));
        }
    }

    public void DeleteSubKeyTree(string subkey) => DeleteSubKeyTree(subkey, true);

    public void DeleteSubKeyTree(string subkey, bool throwOnMissingSubKey)
    {
        if (!Registry.DeleteKey(RegistryKeyPath.Combine(Writable(), subkey), recursive: true) && throwOnMissingSubKey)
        {
            throw new ArgumentException("Cannot delete a subkey tree because the subkey does not exist.", nameof(subkey));
        }
    }

    public void DeleteValue(string name) => DeleteValue(name, true);

    public void DeleteValue(string name, bool throwOnMissingValue)
    {
        if (!Registry.DeleteValue(Writable(), name ?? "") && throwOnMissingValue)
        {
            throw new ArgumentException("No value exists with that name.", nameof(name));
        }
    }

    public object? GetValue(string? name) => GetValue(name, null);

    public object? GetValue(string? name, object? defaultValue) => GetValue(name, defaultValue, RegistryValueOptions.None);

    public object? GetValue(string? name, object? defaultValue, RegistryValueOptions options)
    {
        var value = Registry.GetValue(Checked(), name ?? "");
        return value is null ? defaultValue : ToObject(value, expand: (options & RegistryValueOptions.DoNotExpandEnvironmentNames) == 0);
    }

    public RegistryValueKind GetValueKind(string? name)
    {
        var value = Registry.GetValue(Checked(), name ?? "") ?? throw new IOException("The specified registry key does not exist.");
        return value.Type switch
        {
            RegistryValueType.String => RegistryValueKind.String,
            RegistryValueType.ExpandString => RegistryValueKind.ExpandString,
            RegistryValueType.MultiString => RegistryValueKind.MultiString,
            RegistryValueType.DWord => RegistryValueKind.DWord,
            RegistryValueType.QWord => RegistryValueKind.QWord,
            RegistryValueType.Binary => RegistryValueKind.Binary,
            RegistryValueType.None => RegistryValueKind.None,
            _ => RegistryValueKind.Unknown,
        };
    }

    public string[] GetValueNames() => [.. Registry.GetValueNames(Checked())];

    public string[] GetSubKeyNames() => [.. Registry.GetSubKeyNames(Checked())];

    public void SetValue(string? name, object value) => SetValue(name, value, RegistryValueKind.Unknown);

    public void SetValue(string? name, object value, RegistryValueKind valueKind)
    {
        ArgumentNullException.ThrowIfNull(value);
        Registry.SetValue(Writable(), name ?? "", FromObject(value, valueKind));
    }

    public void Flush()
    {
        // Every change is already on disk when SetValue returns.
    }

    public void Close() => _closed = true;

    public void Dispose() => Close();

    public override string ToString() => Name;

    internal static object ToObject(RegistryValue value, bool expand) => value.Data switch
    {
        string text when value.Type == RegistryValueType.ExpandString && expand => SandboxRuntime.Current.Environment.Expand(text),
        string text => text,
        string[] lines => lines.ToArray(),
        uint number => unchecked((int)number),
        ulong number => unchecked((long)number),
        byte[] bytes => bytes.ToArray(),
        _ => value.Data,
    };

    internal static RegistryValue FromObject(object value, RegistryValueKind kind) => kind switch
    {
        RegistryValueKind.Unknown => value switch
        {
            int number => RegistryValue.DWord(unchecked((uint)number)),
            long number => RegistryValue.QWord(unchecked((ulong)number)),
            string[] lines => RegistryValue.MultiString(lines),
            byte[] bytes => RegistryValue.Binary(bytes),
            _ => RegistryValue.String(value.ToString() ?? ""),
        },
        RegistryValueKind.String => RegistryValue.String(value.ToString() ?? ""),
        RegistryValueKind.ExpandString => RegistryValue.ExpandString(value.ToString() ?? ""),
        RegistryValueKind.MultiString => RegistryValue.MultiString(value as string[] ?? throw new ArgumentException("A multi-string value must be a string[].", nameof(value))),
        RegistryValueKind.DWord => RegistryValue.DWord(unchecked((uint)Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture))),
        RegistryValueKind.QWord => RegistryValue.QWord(unchecked((ulong)Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture))),
        RegistryValueKind.Binary => RegistryValue.Binary(value as byte[] ?? throw new ArgumentException("A binary value must be a byte[].", nameof(value))),
        _ => RegistryValue.FromBytes(RegistryValueType.None, value as byte[] ?? [], System.Text.Encoding.Unicode),
    };

    private string Checked()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        return Name;
    }

    private string Writable()
    {
        if (!_writable)
        {
            throw new UnauthorizedAccessException($"Cannot write to the registry key {Name}: it was opened read-only.");
        }
        return Checked();
    }
}
