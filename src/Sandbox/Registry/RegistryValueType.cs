namespace VirtualizationWorkbench.Sandbox.Registry;

/// <summary>The registry's value types, numbered as Windows numbers them (REG_SZ = 1, …), which is also how
/// <c>.reg</c> files write them in <c>hex(N):</c>.</summary>
public enum RegistryValueType
{
    /// <summary>REG_NONE: bytes without a type.</summary>
    None = 0,

    /// <summary>REG_SZ: a string.</summary>
    String = 1,

    /// <summary>REG_EXPAND_SZ: a string with %VARIABLE% references.</summary>
    ExpandString = 2,

    /// <summary>REG_BINARY: bytes.</summary>
    Binary = 3,

    /// <summary>REG_DWORD: a 32-bit number.</summary>
    DWord = 4,

    /// <summary>REG_MULTI_SZ: a list of strings.</summary>
    MultiString = 7,

    /// <summary>REG_QWORD: a 64-bit number.</summary>
    QWord = 11,
}
