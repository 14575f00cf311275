using System.CommandLine;
using VirtualizationWorkbench.Packager.Building;
using VirtualizationWorkbench.Packager.Format;
using VirtualizationWorkbench.Packager.Running;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Workbench.Commands;

/// <summary><c>workbench key</c>: make a package-signing key, trust a publisher's public key, list the trusted
/// keys (docs/packager.md, "Signed packages").</summary>
internal static class KeyCommands
{
    public static Command Create()
    {
        var keyFile = new Argument<string>("key-file") { Description = "The private key file to write (PEM), e.g. publisher.key.pem; keep it private." };
        var publicFile = new Option<string?>("--public") { Description = "The public key file to write (default: beside the key, named NAME.pub.pem)." };
        var create = new Command("new", "Make a signing key (ECDSA P-256): a private key for `pack --sign`, and its public half for the users who run your packages.") { keyFile, publicFile };
        create.SetAction(parse =>
        {
            var privatePath = parse.GetValue(keyFile)!;
            var publicPath = parse.GetValue(publicFile) ?? PublicPathFor(privatePath);
            string fingerprint;
            try
            {
                fingerprint = SigningKey.Create(privatePath, publicPath);
            }
            catch (PackagerException e)
            {
                throw new UserError(e.Message);
            }
            Console.WriteLine($"Wrote the private key {privatePath} (readable by you only) and the public key {publicPath}.");
            Console.WriteLine($"Fingerprint: {fingerprint}");
            Console.WriteLine($"Sign with `workbench pack APP -o APP.vapp --sign {privatePath}`; users run it after `workbench key trust {publicPath}`.");
            return 0;
        });

        var trusted = new Argument<string>("public-key") { Description = "A signer's public key (PEM, BEGIN PUBLIC KEY)." };
        var trust = new Command("trust", "Trust a signer's public key: from now on `app run` runs only packages signed by a key you trust.") { trusted };
        trust.SetAction(parse =>
        {
            var file = parse.GetValue(trusted)!;
            if (!File.Exists(file))
            {
                throw new UserError($"'{file}' does not exist; give the signer's public key (the .pub.pem file `workbench key new` wrote).");
            }
            byte[] key;
            try
            {
                key = PackageTrust.ReadKey(file, $"'{file}'");
            }
            catch (PackageFormatException e)
            {
                throw new UserError(e.Message);
            }
            var fingerprint = PackageSignature.FingerprintOf(key);
            var target = Path.Combine(PackageTrust.Folder, fingerprint[..16] + ".pem");
            Directory.CreateDirectory(PackageTrust.Folder);
            var first = !Directory.EnumerateFiles(PackageTrust.Folder, "*.pem").Any();
            AtomicFile.Write(target, stream => stream.Write(new PackageSignature(key, []).SignerPem()));
            Console.WriteLine($"Trusted the key {fingerprint} ({target}).");
            if (first)
            {
                Console.WriteLine("It is your first trusted key: from now on `app run` refuses unsigned packages and those signed by keys you do not trust. Delete the file to stop trusting it.");
            }
            return 0;
        });

        var list = new Command("list", "List the signers' keys you trust.");
        list.SetAction(_ =>
        {
            PackageTrust keys;
            try
            {
                keys = PackageTrust.ForThisUser();
            }
            catch (PackageFormatException e)
            {
                throw new UserError(e.Message);
            }
            if (!keys.Required)
            {
                Console.WriteLine($"You trust no signing key ({PackageTrust.Folder} holds none): signatures are optional, and a bad one is still refused.");
                return 0;
            }
            Console.WriteLine($"Trusted keys ({PackageTrust.Folder}); `app run` requires a signature by one of them:");
            foreach (var (source, fingerprint) in keys.Keys)
            {
                Console.WriteLine($"  {fingerprint}  {Path.GetFileName(source)}");
            }
            return 0;
        });

        return new Command("key", "Package-signing keys: make one, trust a publisher's, list those you trust.") { create, trust, list };
    }

    // publisher.key.pem -> publisher.pub.pem; publisher.pem -> publisher.pub.pem; publisher -> publisher.pub.pem.
    private static string PublicPathFor(string privatePath)
    {
        var stem = privatePath.EndsWith(".key.pem", StringComparison.Ordinal) ? privatePath[..^".key.pem".Length]
            : privatePath.EndsWith(".pem", StringComparison.Ordinal) ? privatePath[..^".pem".Length]
            : privatePath;
        return stem + ".pub.pem";
    }
}
