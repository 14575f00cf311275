using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtualizationWorkbench.Packager.Format;

/// <summary>One file of a package as the manifest lists it.</summary>
/// <param name="Path">The zip entry name.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Sha256">Its SHA-256, lowercase hex.</param>
/// <param name="Executable">Whether it is a program, extracted with execute permission (written only when true,
/// so packages without programs are byte for byte what they were).</param>
public sealed record ManifestEntry(string Path, long Size, string Sha256,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Executable = false);

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
    public static PackageManifest FromJson(byte[] json)
    {
        // Read through JsonDocument rather than the serializer: the serializer's first use costs about 20 ms of
        // start-up on every `app run`, the document (precompiled in the framework) a fraction of it.
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var entries = new List<ManifestEntry>();
        foreach (var entry in Property(root, "entries", JsonValueKind.Array).EnumerateArray())
        {
            if (!Property(entry, "size", JsonValueKind.Number).TryGetInt64(out var size) || size < 0)
            {
                throw new JsonException("An entry's 'size' is not a length in bytes.");
            }
            var executable = false;
            if (entry.TryGetProperty("executable", out var flag))
            {
                executable = flag.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new JsonException("An entry's 'executable' is not true or false."),
                };
            }
            entries.Add(new ManifestEntry(
                Property(entry, "path", JsonValueKind.String).GetString()!,
                size,
                Property(entry, "sha256", JsonValueKind.String).GetString()!,
                executable));
        }
        return new PackageManifest(
            Property(root, "format", JsonValueKind.String).GetString()!,
            Property(root, "name", JsonValueKind.String).GetString()!,
            entries);
    }

    private static JsonElement Property(JsonElement owner, string name, JsonValueKind kind)
    {
        if (owner.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"Expected an object, found {owner.ValueKind}.");
        }
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind != kind)
        {
            throw new JsonException($"The property '{name}' is missing or is not {kind}.");
        }
        return value;
    }
}

/// <summary>Source-generated JSON for writing the manifest (reading goes through <see cref="JsonDocument"/>).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PackageManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;
