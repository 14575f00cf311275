namespace VirtualizationWorkbench.Packager.Format;

/// <summary>How much a package may expand to, checked on the zip's central directory before anything is read or
/// extracted, so that a zip bomb (8 MB expanding to 8 GB, a 1.5 GB Package.ini) is refused, not unpacked. The
/// sizes checked are the ones the zip declares; the zip reader refuses an entry that inflates past its declared
/// size, and extraction checks every file's size and hash against the manifest.</summary>
public static class PackageLimits
{
    /// <summary>The most all entries together may expand to: 4 GiB.</summary>
    public const long MaxExpandedBytes = 4L << 30;

    /// <summary>Above this expanded size, the expansion ratio is checked too (small packages of text may compress well).</summary>
    public const long RatioCheckedFrom = 64L << 20;

    /// <summary>The most the expanded size may be, as a multiple of the package file's size, above <see cref="RatioCheckedFrom"/>.</summary>
    public const long MaxExpansionRatio = 100;

    /// <summary>The largest Package.ini: 1 MiB (settings are a few lines).</summary>
    public const long MaxSettingsBytes = 1L << 20;

    /// <summary>The largest manifest, registry hive or rewrite report: 64 MiB.</summary>
    public const long MaxMetadataBytes = 64L << 20;

    /// <summary>Why a package whose entries expand to <paramref name="expanded"/> bytes from a file of
    /// <paramref name="packageBytes"/> bytes is refused, or null when it is within the limits.</summary>
    public static string? Refusal(long expanded, long packageBytes)
    {
        if (expanded > MaxExpandedBytes)
        {
            return $"its entries expand to {expanded:N0} bytes, more than the {MaxExpandedBytes:N0} a package may";
        }
        if (expanded > RatioCheckedFrom && expanded > MaxExpansionRatio * Math.Max(1, packageBytes))
        {
            return $"its entries expand to {expanded:N0} bytes from {packageBytes:N0}, more than {MaxExpansionRatio} times its size (a zip bomb?)";
        }
        return null;
    }

    /// <summary>The size limit of a metadata entry.</summary>
    public static long MetadataLimit(string entryName) => entryName switch
    {
        PackageLayout.Settings => MaxSettingsBytes,
        PackageSignature.EntryName or PackageSignature.SignerEntryName => PackageSignature.MaxEntryBytes,
        _ => MaxMetadataBytes,
    };
}
