namespace VirtualizationWorkbench.Sandbox.Registry;

/// <summary>The two <c>.reg</c> formats regedit writes.</summary>
public enum RegFileVersion
{
    /// <summary>"Windows Registry Editor Version 5.00": UTF-16 LE with a byte-order mark; strings in hex values are UTF-16 LE.</summary>
    Version5,

    /// <summary>"REGEDIT4": single-byte text; strings in hex values are single-byte too (written here as UTF-8).</summary>
    Regedit4,
}
