namespace VirtualizationWorkbench.Packager.Running.Runtime;

/// <summary>The .NET host's roll-forward rules: which installed version of a framework an application that asks
/// for <c>X.Y.Z</c> runs on (https://learn.microsoft.com/dotnet/core/versions/selection). Pre-release versions
/// are not chosen for a release request, as the host does unless <c>DOTNET_ROLL_FORWARD_TO_PRERELEASE</c> is set.</summary>
public static class RollForwardPolicy
{
    /// <summary>The policies a runtimeconfig.json or <c>DOTNET_ROLL_FORWARD</c> may name.</summary>
    public static readonly string[] Names = ["Disable", "LatestPatch", "Minor", "LatestMinor", "Major", "LatestMajor"];

    /// <summary>The version the host would choose among <paramref name="installed"/>, or null when none fits.</summary>
    /// <param name="requested">The version the application asks for.</param>
    /// <param name="policy">One of <see cref="Names"/> (case-insensitive).</param>
    /// <param name="installed">The versions of the framework installed.</param>
    public static Version? Choose(Version requested, string policy, IEnumerable<Version> installed)
    {
        var candidates = installed.Where(version => version >= requested).Order().ToList();
        Version? LatestPatchOf(Version? version) => version is null ? null
            : candidates.Where(other => other.Major == version.Major && other.Minor == version.Minor).Max();
        Version? SameMinor() => LatestPatchOf(candidates.FirstOrDefault(version => version.Major == requested.Major && version.Minor == requested.Minor));
        Version? LowestMinor() => LatestPatchOf(candidates.FirstOrDefault(version => version.Major == requested.Major));
        return policy.ToUpperInvariant() switch
        {
            "DISABLE" => candidates.FirstOrDefault(version => version == requested),
            "LATESTPATCH" => SameMinor(),
            "MINOR" => SameMinor() ?? LowestMinor(),
            "LATESTMINOR" => LatestPatchOf(candidates.LastOrDefault(version => version.Major == requested.Major)),
            "MAJOR" => SameMinor() ?? LowestMinor() ?? LatestPatchOf(candidates.FirstOrDefault()),
            "LATESTMAJOR" => candidates.LastOrDefault(),
            _ => throw new ArgumentException($"'{policy}' is not a roll-forward policy; use one of {string.Join(", ", Names)}.", nameof(policy)),
        };
    }
}
