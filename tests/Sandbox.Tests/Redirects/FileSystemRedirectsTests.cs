using System.Text;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;
using VirtualizationWorkbench.Sandbox.Redirects;
using VirtualizationWorkbench.Sandbox.Registry;
using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Sandbox.Tests.Redirects;

/// <summary>The shims a rewritten application calls instead of <c>File</c>, <c>Directory</c>, the info types and
/// <c>Path</c>, on a write-copy session: reads see the host and the package, every change lands in the sandbox.</summary>
[NonParallelizable]
public sealed class FileSystemRedirectsTests
{
    private static readonly DateTime Then = new(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);

    private string _root = "";
    private string _host = "";
    private string _home = "";
    private string _app = "";
    private string _packagedApp = "";
    private VirtualFileSystem _vfs = null!;

    [SetUp]
    public void StartSession()
    {
        _root = Directory.CreateTempSubdirectory("vwb-redirects-").FullName;
        _host = Directory.CreateDirectory(Path.Combine(_root, "host")).FullName;
        _home = Directory.CreateDirectory(Path.Combine(_host, "home")).FullName;
        Directory.CreateDirectory(Path.Combine(_host, "opt"));
        Directory.CreateDirectory(Path.Combine(_host, "tmp"));
        var macros = new FolderMacros(new Dictionary<string, string>
        {
            ["%Profile%"] = _home,
            ["%ProgramFilesDir%"] = Path.Combine(_host, "opt"),
            ["%Temp%"] = Path.Combine(_host, "tmp"),
            [FolderMacros.RootMacro] = _host,
        });
        var packageRoot = Path.Combine(_root, "package");
        _packagedApp = Path.Combine(packageRoot, "%ProgramFilesDir%", "App", "app.txt");
        Write(_packagedApp, "from package");
        Write(Path.Combine(packageRoot, "%Profile%", "shared", "b.txt"), "package b");
        var package = new PackageLayer(packageRoot, ["%ProgramFilesDir%/App/app.txt", "%Profile%/shared/b.txt"], macros);
        _app = Path.Combine(_host, "opt", "App", "app.txt");
        _vfs = new VirtualFileSystem(macros, new IsolationPolicy(IsolationMode.WriteCopy), package, new SandboxLayer(Path.Combine(_root, "sandbox")));
        SandboxRuntime.Activate(new SandboxSession(_vfs, new VirtualRegistry(new RegistryTree()), new VirtualEnvironment(new Dictionary<string, string>(), _home), _home, null, []));
    }

    [TearDown]
    public void EndSession()
    {
        SandboxRuntime.Deactivate();
        Directory.Delete(_root, recursive: true);
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private string SandboxCopy(string path) => _vfs.Resolve(path).SandboxPath;

    private string HostHash() =>
        string.Join("\n", Directory.EnumerateFileSystemEntries(_host, "*", SearchOption.AllDirectories).Order()
            .Select(path => path + ":" + (File.Exists(path) ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))) : "folder")));

    [Test]
    public async Task WriteAllLinesAsync_Should_Land_In_The_Sandbox_And_Leave_The_Host_File_Alone()
    {
        var notes = Path.Combine(_home, "notes.txt");
        Write(notes, "host");
        var before = HostHash();

        await FileRedirects.WriteAllLinesAsync(notes, ["one", "two"], CancellationToken.None);

        Assert.That(HostHash(), Is.EqualTo(before));
        Assert.That(File.ReadAllLines(SandboxCopy(notes)), Is.EqualTo(new[] { "one", "two" }));
        Assert.That(await FileRedirects.ReadAllLinesAsync(notes, Encoding.UTF8, CancellationToken.None), Is.EqualTo(new[] { "one", "two" }));
        Assert.That(await FileRedirects.ReadLinesAsync(notes, CancellationToken.None).ToListAsync(), Is.EqualTo(new[] { "one", "two" }));
    }

    [Test]
    public void WriteAllLinesAsync_Should_Write_Nothing_When_Cancelled()
    {
        var notes = Path.Combine(_home, "cancelled.txt");

        Assert.ThrowsAsync<OperationCanceledException>(() => FileRedirects.WriteAllLinesAsync(notes, ["one"], Encoding.UTF8, new CancellationToken(canceled: true)));
        Assert.That(FileRedirects.Exists(notes), Is.False);
    }

    [Test]
    public async Task AppendAllLinesAsync_Should_Append_To_A_Copy_On_Write_Copy_Of_A_Package_File()
    {
        await FileRedirects.AppendAllLinesAsync(_app, ["more"], Encoding.UTF8, CancellationToken.None);

        // Appended to a file that is not empty, the encoding's byte-order mark is not written, as by File.
        Assert.That(File.ReadAllBytes(SandboxCopy(_app)), Is.EqualTo(Encoding.UTF8.GetBytes("from packagemore" + Environment.NewLine)));
        Assert.That(FileRedirects.ReadAllText(_app), Is.EqualTo("from packagemore" + Environment.NewLine));
        Assert.That(File.ReadAllText(_packagedApp), Is.EqualTo("from package"));
        Assert.That(File.Exists(_app), Is.False, "the host never gets the package's files");
    }

    [Test]
    public async Task AppendAllBytes_Should_Append_To_A_Sandbox_Copy_Of_A_Host_File()
    {
        var data = Path.Combine(_home, "data.bin");
        File.WriteAllBytes(data, [1, 2]);
        var before = HostHash();

        FileRedirects.AppendAllBytes(data, [3]);
        await FileRedirects.AppendAllBytesAsync(data, new byte[] { 4, 5 }.AsMemory(), CancellationToken.None);

        Assert.That(FileRedirects.ReadAllBytes(data), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5 }));
        Assert.That(File.ReadAllBytes(data), Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(HostHash(), Is.EqualTo(before));
    }

    [Test]
    public void SetCreationTime_And_SetLastAccessTime_Should_Change_The_Sandbox_Copy_Not_The_Host_File()
    {
        var notes = Path.Combine(_home, "notes.txt");
        Write(notes, "host");
        var hostWritten = File.GetLastWriteTimeUtc(notes);

        FileRedirects.SetCreationTime(notes, Then.ToLocalTime());
        FileRedirects.SetLastAccessTime(notes, Then.AddDays(1).ToLocalTime());

        // Times first: reading the copy would move its access time.
        Assert.That(FileRedirects.GetCreationTimeUtc(notes), Is.EqualTo(Then));
        Assert.That(FileRedirects.GetLastAccessTimeUtc(notes), Is.EqualTo(Then.AddDays(1)));
        Assert.That(File.ReadAllText(SandboxCopy(notes)), Is.EqualTo("host"), "copied on write, content kept");
        Assert.That(File.GetLastWriteTimeUtc(notes), Is.EqualTo(hostWritten));
        Assert.That(File.GetCreationTimeUtc(notes), Is.Not.EqualTo(Then));
        Assert.That(File.GetLastAccessTimeUtc(notes), Is.Not.EqualTo(Then.AddDays(1)));
    }

    [Test]
    public void SetCreationTime_On_A_Package_File_Should_Change_Its_Sandbox_Copy()
    {
        var packaged = File.GetCreationTimeUtc(_packagedApp);

        FileRedirects.SetCreationTimeUtc(_app, Then);

        Assert.That(File.GetCreationTimeUtc(SandboxCopy(_app)), Is.EqualTo(Then));
        Assert.That(FileRedirects.ReadAllText(_app), Is.EqualTo("from package"));
        Assert.That(File.GetCreationTimeUtc(_packagedApp), Is.EqualTo(packaged));
    }

    [Test]
    public void Directory_Times_Should_Be_Set_On_A_Sandbox_Copy_Of_A_Host_Folder()
    {
        var docs = Path.Combine(_home, "docs");
        Write(Path.Combine(docs, "a.txt"), "host a");
        var hostWritten = Directory.GetLastWriteTimeUtc(docs);

        DirectoryRedirects.SetLastWriteTimeUtc(docs, Then);
        FileSystemInfoRedirects.set_LastAccessTimeUtc(new DirectoryInfo(docs), Then.AddDays(1));

        Assert.That(DirectoryRedirects.GetLastWriteTimeUtc(docs), Is.EqualTo(Then));
        Assert.That(DirectoryRedirects.GetLastAccessTimeUtc(docs), Is.EqualTo(Then.AddDays(1)));
        Assert.That(Directory.GetLastWriteTimeUtc(docs), Is.EqualTo(hostWritten));
        Assert.That(Directory.GetLastWriteTimeUtc(SandboxCopy(docs)), Is.EqualTo(Then));
        Assert.That(DirectoryRedirects.GetFiles(docs).Select(Path.GetFileName), Is.EqualTo(new[] { "a.txt" }), "only the folder is copied up, its files still show");
        Assert.Throws<FileNotFoundException>(() => DirectoryRedirects.SetCreationTime(Path.Combine(_home, "missing"), Then));
    }

    [Test]
    public void DirectoryInfo_Listings_With_EnumerationOptions_Should_Merge_The_Layers()
    {
        var shared = Path.Combine(_home, "shared");
        Write(Path.Combine(shared, "a.txt"), "host a");
        Write(Path.Combine(shared, "nested", "d.txt"), "host d");
        Write(Path.Combine(shared, "z.log"), "host z");
        FileRedirects.WriteAllText(Path.Combine(shared, "c.txt"), "sandbox c");
        var info = new DirectoryInfo(shared);

        var recursive = DirectoryInfoRedirects.GetFiles(info, "*.txt", new EnumerationOptions { RecurseSubdirectories = true });
        var top = DirectoryInfoRedirects.EnumerateFileSystemInfos(info, "*", new EnumerationOptions());

        Assert.That(recursive.Select(file => file.Name).Order(), Is.EqualTo(new[] { "a.txt", "b.txt", "c.txt", "d.txt" }));
        Assert.That(top.Select(entry => $"{entry.Name}:{entry is DirectoryInfo}"), Is.EquivalentTo(new[] { "a.txt:False", "b.txt:False", "c.txt:False", "nested:True", "z.log:False" }));
        Assert.That(DirectoryInfoRedirects.GetDirectories(info, "*", new EnumerationOptions()).Select(folder => folder.Name), Is.EqualTo(new[] { "nested" }));
    }

    [Test]
    public void Replace_Should_Keep_The_Backup_And_Move_The_Source_In_The_Sandbox()
    {
        var source = Path.Combine(_home, "new.txt");
        var destination = Path.Combine(_home, "current.txt");
        var backup = Path.Combine(_home, "current.bak");
        Write(source, "new");
        Write(destination, "old");
        var before = HostHash();

        FileRedirects.Replace(source, destination, backup);

        Assert.That(FileRedirects.ReadAllText(destination), Is.EqualTo("new"));
        Assert.That(FileRedirects.ReadAllText(backup), Is.EqualTo("old"));
        Assert.That(FileRedirects.Exists(source), Is.False);
        Assert.That(HostHash(), Is.EqualTo(before));
        Assert.Throws<FileNotFoundException>(() => FileRedirects.Replace(source, destination, null));
    }

    [Test]
    public void OpenHandle_Should_Write_On_A_Sandbox_Copy()
    {
        var notes = Path.Combine(_home, "notes.txt");
        Write(notes, "host");
        var before = HostHash();

        using (var handle = FileRedirects.OpenHandle(notes, FileMode.Open, FileAccess.ReadWrite, FileShare.None, FileOptions.None, 0))
        {
            RandomAccess.Write(handle, "HO"u8, 0);
        }

        Assert.That(FileRedirects.ReadAllText(notes), Is.EqualTo("HOst"));
        Assert.That(HostHash(), Is.EqualTo(before));
    }

    [Test]
    public void Path_Exists_And_Temporary_Folders_Should_Be_Virtual()
    {
        var temporary = DirectoryRedirects.CreateTempSubdirectory("vwb");

        Assert.That(PathRedirects.Exists(_app), Is.True, "a package file");
        Assert.That(PathRedirects.Exists(Path.GetDirectoryName(_app)), Is.True, "a package folder");
        Assert.That(PathRedirects.Exists(Path.Combine(_home, "missing")), Is.False);
        Assert.That(temporary.FullName, Does.StartWith(Path.Combine(_host, "tmp", "vwb")));
        Assert.That(DirectoryRedirects.Exists(temporary.FullName), Is.True);
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(SandboxCopy(temporary.FullName)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        }
        Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(_host, "tmp")), Is.Empty, "the host's temporary folder is untouched");
    }

    private static IEnumerable<TestCaseData> ListingOptions()
    {
        yield return new TestCaseData(new EnumerationOptions()).SetArgDisplayNames("defaults (skip hidden)");
        yield return new TestCaseData(new EnumerationOptions { RecurseSubdirectories = true }).SetArgDisplayNames("recursive");
        yield return new TestCaseData(new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 1 }).SetArgDisplayNames("depth 1");
        yield return new TestCaseData(new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).SetArgDisplayNames("hidden too");
        yield return new TestCaseData(new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive }).SetArgDisplayNames("any case");
        yield return new TestCaseData(new EnumerationOptions { ReturnSpecialDirectories = true, RecurseSubdirectories = true }).SetArgDisplayNames("special folders");
        yield return new TestCaseData(new EnumerationOptions { MatchType = MatchType.Win32 }).SetArgDisplayNames("DOS wildcards");
    }

    [TestCaseSource(nameof(ListingOptions))]
    public void Listings_With_Enumeration_Options_Should_Read_As_The_Framework_Reads_The_Same_Folder(EnumerationOptions options)
    {
        var folder = Path.Combine(_home, "listing");
        foreach (var file in (string[])["a.txt", "B.TXT", ".hidden.txt", "noext", "sub/b.txt", "sub/deep/c.txt", ".secret/d.txt"])
        {
            Write(Path.Combine(folder, file), file);
        }

        foreach (var pattern in (string[])["*.txt", "*", "*.*", "?.txt"])
        {
            var framework = Directory.GetFileSystemEntries(folder, pattern, options).Order(StringComparer.Ordinal);
            var shim = DirectoryRedirects.GetFileSystemEntries(folder, pattern, options).Order(StringComparer.Ordinal);
            Assert.That(shim, Is.EqualTo(framework), $"pattern {pattern}: framework [{string.Join(", ", framework.Select(e => e[folder.Length..]))}] shim [{string.Join(", ", shim.Select(e => e[folder.Length..]))}]");
        }
        Assert.That(DirectoryRedirects.GetDirectories(folder, "*", options).Order(StringComparer.Ordinal),
            Is.EqualTo(Directory.GetDirectories(folder, "*", options).Order(StringComparer.Ordinal)), "folders only");
    }

    [Test]
    public void Listings_With_A_Search_Option_Should_Read_As_The_Framework_Reads_The_Same_Folder()
    {
        var folder = Path.Combine(_home, "listing");
        foreach (var file in (string[])["a.txt", ".hidden.txt", "noext", "sub/b.txt"])
        {
            Write(Path.Combine(folder, file), file);
        }

        foreach (var pattern in (string[])["*.txt", "*", "*.*", "?.txt", "noext.*"])
        {
            foreach (var option in (SearchOption[])[SearchOption.TopDirectoryOnly, SearchOption.AllDirectories])
            {
                Assert.That(DirectoryRedirects.GetFiles(folder, pattern, option).Order(StringComparer.Ordinal),
                    Is.EqualTo(Directory.GetFiles(folder, pattern, option).Order(StringComparer.Ordinal)), $"pattern {pattern}, {option}");
            }
        }
    }
}
