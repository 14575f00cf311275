using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using VirtualizationWorkbench.Packager.Building;
using VirtualizationWorkbench.Packager.Format;
using VirtualizationWorkbench.Packager.Running;

namespace VirtualizationWorkbench.Packager.Tests.Format;

/// <summary>Signed packages: the manifest (every file's hash) is signed, so a changed file, a changed manifest or a
/// damaged signature is refused; who signed is checked against the keys the user trusts; OpenSSL agrees with the
/// workbench on what is a valid signature and a usable key.</summary>
public sealed class PackageSignatureTests
{
    private string _work = "";

    [SetUp]
    public void CreateFolder() => _work = Directory.CreateTempSubdirectory("vwb-signature-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_work, recursive: true);

    private static readonly byte[] Settings = "[BuildOptions]\nInventoryName=App\n\n[App]\nSource=%ProgramFilesDir%\\App\\App.dll\n"u8.ToArray();

    // A small package, written by the packager's own writer (no rewriting: what is signed is the format's business).
    private string Write(string name, string shipped, ECDsa? signer)
    {
        var path = Path.Combine(_work, name);
        var content = Encoding.UTF8.GetBytes(shipped);
        PackageWriter.Write(path, "App", new Dictionary<string, Func<Stream>>
        {
            [PackageLayout.Settings] = () => new MemoryStream(Settings),
            ["files/%ProgramFilesDir%/App/App.dll"] = () => new MemoryStream(content),
        }, signer: signer);
        return path;
    }

    private static string Read(string package, string entry)
    {
        using var zip = ZipFile.OpenRead(package);
        using var reader = new StreamReader(zip.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    private static void Replace(string package, string entry, byte[] content)
    {
        using var zip = ZipFile.Open(package, ZipArchiveMode.Update);
        zip.GetEntry(entry)!.Delete();
        using var stream = zip.CreateEntry(entry).Open();
        stream.Write(content);
    }

    private static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private string PublicKeyFile(ECDsa key, string name)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllText(path, key.ExportSubjectPublicKeyInfoPem());
        return path;
    }

    [Test]
    public void A_Signed_Package_Opens_With_Its_Signer_And_The_Same_Id_As_Unsigned()
    {
        using var key = NewKey();
        using var signed = PackageFile.Open(Write("signed.vapp", "code", key));
        using var unsigned = PackageFile.Open(Write("unsigned.vapp", "code", null));

        Assert.That(signed.Signature, Is.Not.Null);
        Assert.That(signed.Signature!.SignerKey, Is.EqualTo(key.ExportSubjectPublicKeyInfo()));
        Assert.That(signed.Signature.Fingerprint, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))));
        Assert.That(unsigned.Signature, Is.Null);
        Assert.That(signed.Id, Is.EqualTo(unsigned.Id), "the signature is beside the manifest, not in it: one extraction serves both");
    }

    [Test]
    public void A_File_Changed_With_Its_Manifest_Rewritten_To_Match_Is_A_Bad_Signature()
    {
        using var key = NewKey();
        var path = Write("app.vapp", "code", key);
        var evil = "evil"u8.ToArray();
        var manifest = PackageManifest.FromJson(Encoding.UTF8.GetBytes(Read(path, PackageManifest.EntryName)));
        var forged = manifest with
        {
            Entries = [.. manifest.Entries.Select(entry => entry.Path.EndsWith("App.dll", StringComparison.Ordinal)
                ? entry with { Size = evil.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(evil)) }
                : entry)],
        };
        Replace(path, "files/%ProgramFilesDir%/App/App.dll", evil);
        Replace(path, PackageManifest.EntryName, forged.ToJson());

        Assert.That(() => PackageFile.Open(path), Throws.TypeOf<PackageFormatException>()
            .With.Message.Contains("has a bad signature").And.Message.Contains("changed after it was signed"));
    }

    [Test]
    public void A_File_Changed_Without_Its_Manifest_Is_Refused_By_Its_Hash()
    {
        using var key = NewKey();
        var path = Write("app.vapp", "code", key);
        Replace(path, "files/%ProgramFilesDir%/App/App.dll", "evil"u8.ToArray());

        using var package = PackageFile.Open(path);
        Assert.That(() => package.ExtractTo(Path.Combine(_work, "extracted")), Throws.TypeOf<PackageFormatException>()
            .With.Message.Contains("does not match its manifest hash"));
        Assert.That(Directory.Exists(Path.Combine(_work, "extracted")), Is.False, "nothing half-extracted is left");
    }

    [Test]
    public void A_Damaged_Signature_Or_A_Missing_Half_Is_Refused()
    {
        using var key = NewKey();
        var damaged = Write("damaged.vapp", "code", key);
        byte[] signature;
        using (var zip = ZipFile.OpenRead(damaged))
        using (var stream = zip.GetEntry(PackageSignature.EntryName)!.Open())
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            signature = copy.ToArray();
        }
        signature[^1] ^= 1;
        Replace(damaged, PackageSignature.EntryName, signature);
        var halved = Write("halved.vapp", "code", key);
        using (var zip = ZipFile.Open(halved, ZipArchiveMode.Update))
        {
            zip.GetEntry(PackageSignature.SignerEntryName)!.Delete();
        }

        Assert.That(() => PackageFile.Open(damaged), Throws.TypeOf<PackageFormatException>().With.Message.Contains("bad signature"));
        Assert.That(() => PackageFile.Open(halved), Throws.TypeOf<PackageFormatException>().With.Message.Contains("holds only one of"));
    }

    [Test]
    public void Trust_Requires_A_Signature_By_A_Trusted_Key_Once_There_Is_One()
    {
        using var publisher = NewKey();
        using var stranger = NewKey();
        using var byPublisher = PackageFile.Open(Write("publisher.vapp", "code", publisher));
        using var byStranger = PackageFile.Open(Write("stranger.vapp", "code", stranger));
        using var unsigned = PackageFile.Open(Write("unsigned.vapp", "code", null));
        var trust = PackageTrust.From(null, [PublicKeyFile(publisher, "publisher.pub.pem")]);

        Assert.That(trust.Required, Is.True);
        Assert.That(() => trust.Check(byPublisher.Signature, "publisher.vapp"), Throws.Nothing);
        Assert.That(() => trust.Check(byStranger.Signature, "stranger.vapp"), Throws.TypeOf<PackageFormatException>()
            .With.Message.Contains($"signed by the key {byStranger.Signature!.Fingerprint[..16]}").And.Message.Contains("not among the keys you trust"));
        Assert.That(() => trust.Check(unsigned.Signature, "unsigned.vapp"), Throws.TypeOf<PackageFormatException>()
            .With.Message.Contains("is not signed, and a signature is required"));
        Assert.That(() => PackageTrust.None.Check(unsigned.Signature, "unsigned.vapp"), Throws.Nothing, "no trusted key: signatures are optional");
    }

    [Test]
    public void A_Trusted_Key_File_That_Is_Not_A_Public_Key_Is_An_Error_Not_Skipped()
    {
        using var key = NewKey();
        var privateFile = Path.Combine(_work, "private.pem");
        File.WriteAllText(privateFile, key.ExportPkcs8PrivateKeyPem());
        var garbage = Path.Combine(_work, "garbage.pem");
        File.WriteAllText(garbage, "not a key");

        Assert.That(() => PackageTrust.From(null, [privateFile]), Throws.TypeOf<PackageFormatException>().With.Message.Contains("holds a private key"));
        Assert.That(() => PackageTrust.From(null, [garbage]), Throws.TypeOf<PackageFormatException>().With.Message.Contains("holds no public key"));
        Assert.That(() => PackageTrust.From(null, [Path.Combine(_work, "missing.pem")]), Throws.TypeOf<PackageFormatException>().With.Message.Contains("does not exist"));
    }

    [Test]
    public void A_New_Key_Is_Private_To_Its_Owner_Never_Written_Over_And_Signs()
    {
        var privateFile = Path.Combine(_work, "publisher.key.pem");
        var publicFile = Path.Combine(_work, "publisher.pub.pem");

        var fingerprint = SigningKey.Create(privateFile, publicFile);

        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(privateFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
        Assert.That(() => SigningKey.Create(privateFile, Path.Combine(_work, "other.pub.pem")), Throws.TypeOf<PackagerException>().With.Message.Contains("never written over"));
        using var key = SigningKey.Load(privateFile);
        using var package = PackageFile.Open(Write("app.vapp", "code", key));
        Assert.That(package.Signature!.Fingerprint, Is.EqualTo(fingerprint));
        Assert.That(PackageTrust.From(null, [publicFile]).Accepts(package.Signature.SignerKey), Is.True);
    }

    [Test]
    public void Signing_With_A_Public_Missing_Or_Encrypted_Key_Says_What_To_Do()
    {
        using var key = NewKey();
        var publicFile = PublicKeyFile(key, "public.pem");
        var encrypted = Path.Combine(_work, "encrypted.pem");
        File.WriteAllText(encrypted, key.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)));

        Assert.That(() => SigningKey.Load(publicFile), Throws.TypeOf<PackagerException>().With.Message.Contains("holds no private key"));
        Assert.That(() => SigningKey.Load(encrypted), Throws.TypeOf<PackagerException>().With.Message.Contains("pass phrase"));
        Assert.That(() => SigningKey.Load(Path.Combine(_work, "missing.pem")), Throws.TypeOf<PackagerException>().With.Message.Contains("workbench key new"));
    }

    // OpenSSL as the oracle: a key it makes signs packages the workbench accepts, and it verifies the workbench's
    // signature over the manifest as docs/packager.md tells users to, and rejects it over a changed manifest.
    [Test]
    public void OpenSsl_Makes_Keys_The_Workbench_Signs_With_And_Verifies_Its_Signatures()
    {
        Assume.That(File.Exists("/usr/bin/openssl"), "openssl is not installed");
        var privateFile = Path.Combine(_work, "openssl.key.pem");
        var publicFile = Path.Combine(_work, "openssl.pub.pem");
        Assert.That(OpenSsl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", privateFile).ExitCode, Is.Zero);
        Assert.That(OpenSsl("pkey", "-in", privateFile, "-pubout", "-out", publicFile).ExitCode, Is.Zero);

        using var key = SigningKey.Load(privateFile);
        var path = Write("app.vapp", "code", key);
        using (var zip = ZipFile.OpenRead(path))
        {
            foreach (var name in new[] { PackageManifest.EntryName, PackageSignature.EntryName, PackageSignature.SignerEntryName })
            {
                zip.GetEntry(name)!.ExtractToFile(Path.Combine(_work, name));
            }
        }
        var manifest = Path.Combine(_work, PackageManifest.EntryName);
        var signature = Path.Combine(_work, PackageSignature.EntryName);

        var verified = OpenSsl("dgst", "-sha256", "-verify", publicFile, "-signature", signature, manifest);
        File.AppendAllText(manifest, " ");
        var changed = OpenSsl("dgst", "-sha256", "-verify", Path.Combine(_work, PackageSignature.SignerEntryName), "-signature", signature, manifest);

        Assert.That(verified, Is.EqualTo((0, "Verified OK")));
        Assert.That(changed.ExitCode, Is.Not.Zero);
        using var package = PackageFile.Open(path);
        Assert.That(PackageTrust.From(null, [publicFile]).Accepts(package.Signature!.SignerKey), Is.True);
    }

    private static (int ExitCode, string Output) OpenSsl(params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(30_000), Is.True, "openssl hung");
        return (process.ExitCode, (output.Result + error.Result).Trim());
    }
}
