using System.Security.Cryptography;
using VirtualizationWorkbench.Packager.Format;

namespace VirtualizationWorkbench.Packager.Running;

/// <summary>Which package signers this user trusts, and so whether a package must be signed to run. The keys are
/// the public-key PEM files in <see cref="Folder"/> (<c>workbench key trust</c> copies one there) and those given
/// to one run with <c>app run --trust FILE</c>. With no key at all, signatures are optional: an unsigned package
/// runs, and a signed one runs only if its signature verifies. With any key, a signature is required: an unsigned
/// package, or one signed by a key not among them, is refused, as apt refuses a repository no trusted key signed.
/// A signature that does not verify is refused always (<see cref="PackageFile.Open"/>).</summary>
public sealed class PackageTrust
{
    private readonly IReadOnlyList<(string Source, byte[] Key)> _keys;

    private PackageTrust(IReadOnlyList<(string Source, byte[] Key)> keys) => _keys = keys;

    /// <summary>No trusted key: signatures are optional.</summary>
    public static PackageTrust None { get; } = new([]);

    /// <summary>The folder of the user's trusted keys: <c>~/.config/VirtualizationWorkbench/trusted-keys</c>
    /// (<c>%APPDATA%</c> on Windows).</summary>
    public static string Folder
    {
        get
        {
            var config = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return Path.Combine(config, "VirtualizationWorkbench", "trusted-keys");
        }
    }

    /// <summary>Whether a package must carry a signature by one of the trusted keys.</summary>
    public bool Required => _keys.Count > 0;

    /// <summary>The trusted keys: where each came from and its fingerprint.</summary>
    public IEnumerable<(string Source, string Fingerprint)> Keys => _keys.Select(key => (key.Source, PackageSignature.FingerprintOf(key.Key)));

    /// <summary>The keys in <see cref="Folder"/> and the files in <paramref name="extraKeyFiles"/>. Reading the
    /// folder costs one look when it does not exist, which is every start of a user who signs nothing.</summary>
    /// <exception cref="PackageFormatException">A key file is missing or holds no EC public key (an error, never
    /// a key silently skipped: a user who trusts keys means them to be required).</exception>
    public static PackageTrust ForThisUser(IEnumerable<string>? extraKeyFiles = null) => From(Folder, extraKeyFiles ?? []);

    /// <summary>The keys in <paramref name="folder"/> (none when null) and in <paramref name="keyFiles"/>.</summary>
    internal static PackageTrust From(string? folder, IEnumerable<string> keyFiles)
    {
        var keys = new List<(string, byte[])>();
        if (folder is not null && Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.pem").Order(StringComparer.Ordinal))
            {
                keys.Add((file, ReadKey(file, $"The trusted key '{file}'")));
            }
        }
        foreach (var file in keyFiles)
        {
            if (!File.Exists(file))
            {
                throw new PackageFormatException($"--trust: the key file '{file}' does not exist; give the signer's public key (a .pub.pem file).");
            }
            keys.Add((Path.GetFullPath(file), ReadKey(file, $"--trust: '{file}'")));
        }
        return new PackageTrust(keys);
    }

    /// <summary>The DER public key in the PEM file <paramref name="file"/>, checked to be an elliptic-curve key.</summary>
    /// <exception cref="PackageFormatException">It is not one; the message starts with <paramref name="what"/>.</exception>
    public static byte[] ReadKey(string file, string what)
    {
        try
        {
            var key = PackageSignature.PublicKeyFromPem(File.ReadAllText(file));
            using var curve = ECDsa.Create();
            curve.ImportSubjectPublicKeyInfo(key, out _);
            return key;
        }
        catch (Exception e) when (e is FormatException or CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new PackageFormatException($"{what} is not an elliptic-curve public key in PEM ({e.Message.TrimEnd('.')}). Trust the .pub.pem file `workbench key new` wrote, or `openssl pkey -in KEY -pubout`'s output.", e);
        }
    }

    /// <summary>Whether <paramref name="signerKey"/> (a DER public key, or null for an unsigned package) may run.</summary>
    public bool Accepts(byte[]? signerKey) =>
        !Required || (signerKey is not null && _keys.Any(key => key.Key.AsSpan().SequenceEqual(signerKey)));

    /// <summary>Refuses the package at <paramref name="packagePath"/> unless <see cref="Accepts"/>.</summary>
    /// <exception cref="PackageFormatException">Refused, with why and what to do.</exception>
    public void Check(PackageSignature? signature, string packagePath)
    {
        if (Accepts(signature?.SignerKey))
        {
            return;
        }
        var trusted = string.Join(", ", _keys.Select(key => $"{Path.GetFileName(key.Source)} ({PackageSignature.FingerprintOf(key.Key)[..16]})"));
        throw new PackageFormatException(signature is null
            ? $"'{packagePath}' is not signed, and a signature is required: you trust signing keys ({trusted}). Run only packages their publishers signed (`workbench pack --sign KEY`)."
            : $"'{packagePath}' is signed by the key {signature.Fingerprint[..16]}, which is not among the keys you trust ({trusted}). If you trust its publisher, add their public key with `workbench key trust FILE`.");
    }
}
