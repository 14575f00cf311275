using System.Security.Cryptography;
using VirtualizationWorkbench.Packager.Format;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Packager.Building;

/// <summary>A publisher's signing key: an elliptic-curve private key in a PEM file (PKCS#8 <c>PRIVATE KEY</c> or
/// OpenSSL's <c>EC PRIVATE KEY</c>), as <c>workbench key new</c> or <c>openssl genpkey -algorithm EC -pkeyopt
/// ec_paramgen_curve:P-256</c> makes it. The framework's ECDsa (OpenSSL underneath on Linux) does the arithmetic;
/// .NET 10 has no Ed25519, and P-256 is what OpenSSL, browsers and package signers all check.</summary>
public static class SigningKey
{
    /// <summary>Reads the private key at <paramref name="path"/>.</summary>
    /// <exception cref="PackagerException">The file is missing, or holds no usable private key.</exception>
    public static ECDsa Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new PackagerException($"--sign: the key file '{path}' does not exist. Make one with `workbench key new {path}`.");
        }
        var pem = File.ReadAllText(path);
        if (pem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new PackagerException($"--sign: '{path}' is encrypted with a pass phrase, which the workbench does not ask for. Decrypt a copy for signing: `openssl pkey -in {path} -out plain.pem`, and keep it as private as the original.");
        }
        if (!pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new PackagerException($"--sign: '{path}' holds no private key (a block starting -----BEGIN PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----). Sign with the private key; give its public half to the users who run the package.");
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new PackagerException($"--sign: '{path}' is not an elliptic-curve private key the workbench can sign with ({e.Message.TrimEnd('.')}). Use an ECDSA key: `workbench key new FILE` makes a P-256 one.", e);
        }
    }

    /// <summary>Makes a new P-256 key: the private key at <paramref name="privatePath"/> (readable by its owner
    /// only) and the public key at <paramref name="publicPath"/>. Neither file may exist yet.</summary>
    /// <returns>The public key's fingerprint.</returns>
    /// <exception cref="PackagerException">A file exists, or its folder does not.</exception>
    public static string Create(string privatePath, string publicPath)
    {
        foreach (var path in new[] { privatePath, publicPath })
        {
            if (File.Exists(path) || Directory.Exists(path))
            {
                throw new PackagerException($"'{path}' exists; a key is never written over. Choose another name, or delete it first if you mean to replace the key.");
            }
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null && !Directory.Exists(folder))
            {
                throw new PackagerException($"The folder '{folder}' does not exist.");
            }
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = key.ExportSubjectPublicKeyInfo();
        // The private key's file is made owner-only before a byte of the key is in it.
        using (var stream = OperatingSystem.IsWindows()
            ? new FileStream(privatePath, FileMode.CreateNew, FileAccess.Write)
            : new FileStream(privatePath, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
            writer.Write('\n');
        }
        AtomicFile.Write(publicPath, stream => stream.Write(new PackageSignature(publicKey, []).SignerPem()));
        return PackageSignature.FingerprintOf(publicKey);
    }
}
