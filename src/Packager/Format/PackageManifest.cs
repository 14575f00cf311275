using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtualizationWorkbench.Packager.Format;

/// <summary>One file of a package as the manifest lists it.</summary>
/// <param name="Path">The zip entry name.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Sha256">Its SHA-256, lowercase hex.</param>
public sealed record ManifestEntry(string Path, long Size, string Sha256);

/// <summary><c>manifest.json</c>: the format version and every other entry of the package with its size and
/// hash, so that a truncated or altered package is caught before anything runs.</summary>
/// <param name="Format">The format identifier, <see cref="CurrentFormat"/>.</param>
/// <param name="Name">The package name.</param>
/// <param name="Entries">Every other entry, in zip order.</param>
public sealed record PackageManifest(string Format, string Name, IReadOnlyList<ManifestEntry> Entries)
{
    /// <summary>The format this version writes and reads.</summary>
    public const string CurrentFormat = "vwb-package/1";

    /// <summary>The manifest's entry name.</summary>
    public const string EntryName = "manifest.json";

    /// <summary>The manifest as UTF-8 JSON.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, ManifestJson.Default.PackageManifest);

    /// <summary>Reads a manifest.</summary>
    /// <exception cref="JsonException">The JSON is not a manifest.</exception>
    public static PackageManifest FromJson(byte[] json) =>
        JsonSerializer.Deserialize(json, ManifestJson.Default.PackageManifest) ?? throw new JsonException("The manifest is empty.");
}

/// <summary>Source-generated JSON for the manifest: no reflection warm-up on every package start.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PackageManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;
