using System.Security.Cryptography;
using System.Text;

namespace VirtualizationWorkbench.Packager.Format;

/// <summary>A package's signature: an ECDSA signature (SHA-256, DER-encoded as OpenSSL writes it) over the exact
/// bytes of <c>manifest.json</c>, which holds every other entry's size and SHA-256, so a signature that verifies
/// vouches for every file. The signer's public key travels beside it, so a package names who signed it; whether
/// that signer is trusted is the reader's decision (<see cref="Running.PackageTrust"/>), not the package's.
/// Checkable without the workbench: <c>openssl dgst -sha256 -verify signer.pem -signature manifest.sig manifest.json</c>
/// on the three entries (docs/packager.md, "Signed packages").</summary>
/// <param name="SignerKey">The signer's public key, as a DER SubjectPublicKeyInfo.</param>
/// <param name="Value">The signature, DER (RFC 3279) encoded.</param>
public sealed record PackageSignature(byte[] SignerKey, byte[] Value)
{
    /// <summary>The entry holding the signature, after the manifest.</summary>
    public const string EntryName = "manifest.sig";

    /// <summary>The entry holding the signer's public key as PEM.</summary>
    public const string SignerEntryName = "signer.pem";

    /// <summary>The largest signature or signer entry: a few hundred bytes are real; 64 KiB is generous.</summary>
    public const long MaxEntryBytes = 64 << 10;

    /// <summary>The signer's fingerprint: SHA-256 of its public key, lowercase hex (as
    /// <c>openssl pkey -pubin -outform DER | sha256sum</c> prints it).</summary>
    public string Fingerprint => FingerprintOf(SignerKey);

    /// <summary>The fingerprint of a DER SubjectPublicKeyInfo.</summary>
    public static string FingerprintOf(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));

    /// <summary>Signs <paramref name="manifest"/> (the bytes written as <c>manifest.json</c>) with <paramref name="key"/>.</summary>
    public static PackageSignature Sign(byte[] manifest, ECDsa key) =>
        new(key.ExportSubjectPublicKeyInfo(), key.SignData(manifest, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    /// <summary>The signer's public key as PEM, the content of <see cref="SignerEntryName"/>.</summary>
    public byte[] SignerPem() => Encoding.ASCII.GetBytes(PemEncoding.WriteString("PUBLIC KEY", SignerKey) + "\n");

    /// <summary>Whether this is a valid signature of <paramref name="manifest"/> by its signer.</summary>
    public bool Verifies(byte[] manifest)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(SignerKey, out _);
            return key.VerifyData(manifest, Value, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            // Not an EC public key, or a signature that is not DER: it does not verify.
            return false;
        }
    }

    /// <summary>Reads the signature from the two entries' bytes.</summary>
    /// <exception cref="FormatException"><paramref name="signerPem"/> holds no PEM public key.</exception>
    public static PackageSignature Read(byte[] signerPem, byte[] value) =>
        new(PublicKeyFromPem(Encoding.ASCII.GetString(signerPem)), value);

    /// <summary>The DER SubjectPublicKeyInfo in a PEM text's first <c>PUBLIC KEY</c> block; a private key's block
    /// is refused, so a private key is never mistaken for (and copied around as) a public one.</summary>
    /// <exception cref="FormatException">There is no <c>PUBLIC KEY</c> block.</exception>
    public static byte[] PublicKeyFromPem(string pem)
    {
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("PUBLIC KEY"))
            {
                return Convert.FromBase64String(rest[fields.Base64Data].ToString());
            }
            if (rest[fields.Label].EndsWith("PRIVATE KEY", StringComparison.Ordinal))
            {
                throw new FormatException("it holds a private key, where a public key (BEGIN PUBLIC KEY) belongs");
            }
            rest = rest[fields.Location.End.Value..];
        }
        throw new FormatException("it holds no public key (a block starting -----BEGIN PUBLIC KEY-----)");
    }
}
