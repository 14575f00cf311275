using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using VirtualizationWorkbench.Packager.Format;

namespace VirtualizationWorkbench.Packager.Tests.EndToEnd;

/// <summary>A publisher signs, a user trusts the publisher's key: what the user then runs, and what is refused,
/// through the real commands (docs/packager.md, "Signed packages").</summary>
[Category(TestCategories.EndToEnd)]
// Runs beside the other long end-to-end fixtures: each test has its own machine (home, work and temporary folders).
[Parallelizable(ParallelScope.Self)]
public sealed class SignedPackageTests
{
    private Machine _machine = null!;

    [SetUp]
    public void CreateMachine() => _machine = new Machine();

    [TearDown]
    public void DeleteMachine() => _machine.Dispose();

    private string Pack(string name, string? key)
    {
        var package = _machine.InWork(name + ".vapp");
        string[] sign = key is null ? [] : ["--sign", key];
        var result = _machine.Workbench(["pack", TestApplications.Of("FileApp"), "--entry", "FileApp.dll", "-o", package, "--name", name, .. sign]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return package;
    }

    private string NewKey(string name)
    {
        var key = _machine.InWork(name + ".key.pem");
        var made = _machine.Workbench("key", "new", key);
        Assert.That(made.ExitCode, Is.Zero, made.ToString());
        Assert.That(made.Output, Does.Contain($"the public key {_machine.InWork(name + ".pub.pem")}"));
        return key;
    }

    private static void AssertRefused(CommandResult result, string message)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.StartWith("error: ").And.Contain(message));
        Assert.That(result.Error, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(result.Output, Does.Not.Contain("shipped with the application"), "the application did not run");
    }

    // The attack a signature is for: a file replaced and the manifest's hash of it updated to match.
    private string Forge(string package)
    {
        var forged = _machine.InWork("forged.vapp");
        File.Copy(package, forged);
        var evil = "evil code"u8.ToArray();
        using var zip = ZipFile.Open(forged, ZipArchiveMode.Update);
        var shipped = zip.Entries.Single(entry => entry.FullName.EndsWith("shipped.txt", StringComparison.Ordinal));
        var shippedName = shipped.FullName;
        shipped.Delete();
        using (var stream = zip.CreateEntry(shippedName).Open())
        {
            stream.Write(evil);
        }
        var manifestEntry = zip.GetEntry(PackageManifest.EntryName)!;
        PackageManifest manifest;
        using (var reader = new StreamReader(manifestEntry.Open()))
        {
            manifest = PackageManifest.FromJson(Encoding.UTF8.GetBytes(reader.ReadToEnd()));
        }
        manifestEntry.Delete();
        manifest = manifest with
        {
            Entries = [.. manifest.Entries.Select(entry => entry.Path == shippedName ? entry with { Size = evil.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(evil)) } : entry)],
        };
        using (var stream = zip.CreateEntry(PackageManifest.EntryName).Open())
        {
            stream.Write(manifest.ToJson());
        }
        return forged;
    }

    [Test]
    public void A_Signed_Package_Runs_A_Forged_One_Never_And_Trusting_A_Key_Makes_Signatures_Required()
    {
        var publisherKey = NewKey("publisher");
        var signed = Pack("Signed", publisherKey);
        var unsigned = Pack("Unsigned", null);

        // No trusted key yet: both run, and inspect names the signer.
        Assert.That(_machine.Workbench("app", "run", signed, "--", "shipped").Output, Is.EqualTo("shipped with the application\n"));
        Assert.That(_machine.Workbench("app", "run", unsigned, "--", "shipped").Output, Is.EqualTo("shipped with the application\n"));
        var inspected = _machine.Workbench("app", "inspect", signed);
        Assert.That(inspected.Output, Does.Contain("Signed by the key ").And.Contain("the signature verifies"), inspected.ToString());

        // A forged copy is refused whatever the user trusts, and leaves no extraction of its own.
        var extractions = Directory.GetDirectories(Path.Combine(_machine.WorkbenchData, "extracted")).Length;
        AssertRefused(_machine.Workbench("app", "run", Forge(signed), "--", "shipped"), "has a bad signature");
        Assert.That(Directory.GetDirectories(Path.Combine(_machine.WorkbenchData, "extracted")), Has.Length.EqualTo(extractions));

        // The user trusts the publisher: the signed package still runs (from its stamp), the unsigned one that ran
        // a moment ago no longer does, nor one signed by a stranger, unless this run trusts the stranger too.
        var trusted = _machine.Workbench("key", "trust", _machine.InWork("publisher.pub.pem"));
        Assert.That(trusted.ExitCode, Is.Zero, trusted.ToString());
        Assert.That(trusted.Output, Does.Contain("first trusted key"));
        Assert.That(_machine.Workbench("app", "run", signed, "--", "shipped").Output, Is.EqualTo("shipped with the application\n"));
        AssertRefused(_machine.Workbench("app", "run", unsigned, "--", "shipped"), "is not signed, and a signature is required");
        var stranger = Pack("Stranger", NewKey("stranger"));
        AssertRefused(_machine.Workbench("app", "run", stranger, "--", "shipped"), "not among the keys you trust");
        var trustedOnce = _machine.Workbench("app", "run", stranger, "--trust", _machine.InWork("stranger.pub.pem"), "--", "shipped");
        Assert.That(trustedOnce.Output, Is.EqualTo("shipped with the application\n"), trustedOnce.ToString());
        var listed = _machine.Workbench("key", "list");
        Assert.That(listed.Output, Does.Contain("requires a signature by one of them"), listed.ToString());
    }

    [Test]
    public void A_Bad_Signing_Key_Writes_No_Package()
    {
        var key = NewKey("publisher");
        var package = _machine.InWork("app.vapp");

        var withPublicKey = _machine.Workbench("pack", TestApplications.Of("FileApp"), "--entry", "FileApp.dll", "-o", package, "--sign", _machine.InWork("publisher.pub.pem"));
        var again = _machine.Workbench("key", "new", key);

        Assert.That(withPublicKey.ExitCode, Is.EqualTo(2), withPublicKey.ToString());
        Assert.That(withPublicKey.Error, Does.Contain("holds no private key").And.Not.Contain("   at "));
        Assert.That(File.Exists(package), Is.False);
        Assert.That(again.ExitCode, Is.EqualTo(2), again.ToString());
        Assert.That(again.Error, Does.Contain("never written over"));
    }
}
