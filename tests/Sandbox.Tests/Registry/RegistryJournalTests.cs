using System.Text;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Registry;

namespace VirtualizationWorkbench.Sandbox.Tests.Registry;

/// <summary>The sandbox's registry changes as an append-only journal: what survives a reopen, a writer killed
/// mid-append, compaction, a reset, an old sandbox's <c>registry.reg</c>, and several writers at once.</summary>
public sealed class RegistryJournalTests
{
    private const string Key = @"HKEY_CURRENT_USER\Software\Journal";

    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("vwb-journal-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string JournalFile => Path.Combine(_folder, RegistryJournal.FileName);

    private VirtualRegistry Open(long compactAbove = RegistryJournal.DefaultCompactAbove, RegistryTree? package = null)
    {
        var sandbox = new SandboxLayer(_folder);
        return new VirtualRegistry(package ?? new RegistryTree(), new RegistryJournal(sandbox.Root, sandbox.AcquireLock, compactAbove));
    }

    [Test]
    public void A_Change_Appends_To_The_File_And_Leaves_What_Was_Written_Before_As_It_Was()
    {
        var registry = Open();
        registry.SetValue(Key, "Big", RegistryValue.Binary(new byte[64 * 1024]));
        var before = File.ReadAllBytes(JournalFile);

        registry.SetValue(Key, "Small", RegistryValue.DWord(7));

        var after = File.ReadAllBytes(JournalFile);
        Assert.That(after.AsSpan(0, before.Length).SequenceEqual(before), Is.True, "the earlier bytes were rewritten");
        Assert.That(after.Length - before.Length, Is.LessThan(100), "the change cost more than its own record");
        Assert.That(Open().GetValue(Key, "Small"), Is.EqualTo(RegistryValue.DWord(7)));
    }

    [Test]
    public void Every_Kind_Of_Change_Reads_Back_Exactly_After_A_Reopen_And_After_A_Compaction()
    {
        var package = new RegistryTree();
        package.GetOrAdd(Key + @"\Hidden\Below").Values["P"] = RegistryValue.String("package");
        var registry = Open(package: package);
        var values = new Dictionary<string, RegistryValue>
        {
            ["String"] = RegistryValue.String("trailing nul\0 and \"quotes\" and é"),
            ["Expand"] = RegistryValue.ExpandString("%HOME%\\x"),
            ["Lines"] = RegistryValue.MultiString(["one", "", "three"]),
            ["DWord"] = RegistryValue.DWord(0xdeadbeef),
            ["QWord"] = RegistryValue.QWord(ulong.MaxValue),
            ["Binary"] = RegistryValue.Binary([0, 1, 2, 255]),
            ["Odd type"] = RegistryValue.FromBytes((RegistryValueType)0x42, [9, 8], Encoding.Unicode),
            ["Short dword"] = RegistryValue.FromBytes(RegistryValueType.DWord, [1, 2, 3], Encoding.Unicode),
            [""] = RegistryValue.String("default"),
        };
        foreach (var (name, value) in values)
        {
            registry.SetValue(Key, name, value);
        }
        registry.SetValue(Key, "Gone", RegistryValue.DWord(1));
        registry.DeleteValue(Key, "Gone");
        registry.DeleteKey(Key + @"\Hidden", recursive: true);
        registry.CreateKey(Key + @"\Hidden");
        registry.CreateKey(Key + @"\Empty");

        void AssertSeen(VirtualRegistry seen, string when)
        {
            Assert.Multiple(() =>
            {
                foreach (var (name, value) in values)
                {
                    Assert.That(seen.GetValue(Key, name), Is.EqualTo(value), $"{when}: {name}");
                }
                Assert.That(seen.GetValue(Key, "Gone"), Is.Null, when);
                Assert.That(seen.GetSubKeyNames(Key), Is.EqualTo(new[] { "Empty", "Hidden" }), when);
                Assert.That(seen.GetSubKeyNames(Key + @"\Hidden"), Is.Empty, $"{when}: the package's keys below a key deleted and made again");
            });
        }
        AssertSeen(Open(package: package), "reopened");
        // A tiny threshold: the next change compacts the journal into one record per key.
        var generation = File.ReadAllBytes(JournalFile)[8..16];
        // What a compaction killed mid-write leaves beside the journal; the next compaction removes it.
        var killed = AtomicFile.TemporaryNameFor(JournalFile);
        File.WriteAllBytes(killed, "VWBREGJ1"u8.ToArray());
        var compacting = Open(compactAbove: 1, package: package);
        compacting.SetValue(Key, "Last", RegistryValue.DWord(2));
        Assert.That(File.ReadAllBytes(JournalFile)[8..16], Is.Not.EqualTo(generation), "not compacted");
        Assert.That(File.Exists(killed), Is.False, "the killed compaction's file was left");
        AssertSeen(Open(package: package), "compacted");
    }

    [Test]
    public void A_Torn_Or_Damaged_Last_Record_Is_Dropped_And_Cut_Off_By_The_Next_Writer()
    {
        var registry = Open();
        registry.SetValue(Key, "One", RegistryValue.DWord(1));
        registry.SetValue(Key, "Two", RegistryValue.DWord(2));
        var whole = new FileInfo(JournalFile).Length;
        registry.SetValue(Key, "Three", RegistryValue.String(new string('t', 1000)));
        // A writer killed mid-append: only part of its record reached the file.
        using (var stream = new FileStream(JournalFile, FileMode.Open))
        {
            stream.SetLength(stream.Length - 3);
        }

        var reopened = Open();
        Assert.That(reopened.GetValueNames(Key), Is.EqualTo(new[] { "One", "Two" }));

        reopened.SetValue(Key, "Four", RegistryValue.DWord(4));
        Assert.That(Open().GetValueNames(Key), Is.EqualTo(new[] { "Four", "One", "Two" }), "the record after the cut was lost");
        Assert.That(new FileInfo(JournalFile).Length, Is.LessThan(whole + 100), "the torn record's bytes were left after the new one");

        // A record whose bytes were damaged (not a whole record any more): it is dropped, the earlier ones kept.
        var bytes = File.ReadAllBytes(JournalFile);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(JournalFile, bytes);
        Assert.That(Open().GetValueNames(Key), Is.EqualTo(new[] { "One", "Two" }));
    }

    [Test]
    public void The_Journal_Is_Compacted_When_It_Grows_And_An_Instance_That_Read_The_Old_File_Rereads()
    {
        var early = Open(compactAbove: 4096);
        early.SetValue(Key, "Early", RegistryValue.String("before"));
        var writer = Open(compactAbove: 4096);

        for (var i = 0; i < 400; i++)
        {
            writer.SetValue(Key, "Counter", RegistryValue.DWord((uint)i));
        }
        early.SetValue(Key, "Late", RegistryValue.String("after"));

        Assert.That(new FileInfo(JournalFile).Length, Is.LessThan(8192), "400 changes of one value were all kept");
        Assert.Multiple(() =>
        {
            Assert.That(early.GetValue(Key, "Counter"), Is.EqualTo(RegistryValue.DWord(399)), "the early instance missed the compacted changes");
            Assert.That(Open().GetValueNames(Key), Is.EqualTo(new[] { "Counter", "Early", "Late" }));
            Assert.That(Open().GetValue(Key, "Counter"), Is.EqualTo(RegistryValue.DWord(399)));
        });
    }

    [Test]
    public void A_Reset_Removes_The_Journal_And_A_Running_Instance_Starts_From_No_Changes()
    {
        var running = Open();
        running.SetValue(Key, "Before", RegistryValue.DWord(1));

        new SandboxLayer(_folder).Clear();
        Assert.That(File.Exists(JournalFile), Is.False);
        running.SetValue(Key, "After", RegistryValue.DWord(2));

        Assert.That(Open().GetValueNames(Key), Is.EqualTo(new[] { "After" }));
        Assert.That(running.GetValueNames(Key), Is.EqualTo(new[] { "After" }));
    }

    [Test]
    public void An_Old_Sandbox_Registry_Reg_Becomes_The_Journal_On_First_Open()
    {
        var package = new RegistryTree();
        package.GetOrAdd(@"HKEY_LOCAL_MACHINE\Software\Vendor").Values["Edition"] = RegistryValue.String("Pro");
        new SandboxLayer(_folder);
        var old = new RegistryTree();
        old.GetOrAdd(Key).Values["Kept"] = RegistryValue.String("from registry.reg");
        old.GetOrAdd(@"HKEY_LOCAL_MACHINE\Software\Vendor").MakeTombstone();
        File.WriteAllBytes(Path.Combine(_folder, RegistryJournal.LegacyFileName), RegFileWriter.Write(old.ToDocument()));
        Assert.That(RegistryJournal.ReadChanges(_folder).Find(Key)?.Values["Kept"], Is.EqualTo(RegistryValue.String("from registry.reg")), "read before migrating");

        var registry = Open(package: package);

        Assert.Multiple(() =>
        {
            Assert.That(registry.GetValue(Key, "Kept"), Is.EqualTo(RegistryValue.String("from registry.reg")));
            Assert.That(registry.KeyExists(@"HKLM\Software\Vendor"), Is.False, "the old file's deletion");
            Assert.That(File.Exists(Path.Combine(_folder, RegistryJournal.LegacyFileName)), Is.False);
            Assert.That(File.Exists(JournalFile), Is.True);
        });
        registry.SetValue(Key, "New", RegistryValue.DWord(1));
        Assert.That(Open(package: package).GetValueNames(Key), Is.EqualTo(new[] { "Kept", "New" }));
    }

    [Test]
    public void Keys_Beyond_Windows_Limits_Are_Refused_And_Nothing_Is_Written()
    {
        var registry = Open();
        var deep = Key + string.Concat(Enumerable.Repeat(@"\k", RegistryKeyPath.MaxDepth));

        Assert.Multiple(() =>
        {
            Assert.That(() => registry.SetValue(Key + @"\" + new string('n', 256), "v", RegistryValue.DWord(1)),
                Throws.ArgumentException.With.Message.Contains("256 characters long; Windows allows at most 255"));
            Assert.That(() => registry.CreateKey(deep), Throws.ArgumentException.With.Message.Contains("514 keys deep"));
        });
        Assert.That(File.Exists(JournalFile), Is.False);
        registry.SetValue(Key + @"\" + new string('n', 255), "v", RegistryValue.DWord(1));
        Assert.That(Open().KeyExists(Key + @"\" + new string('n', 255)), Is.True);
    }

    [Test]
    public void Writers_On_Many_Threads_Lose_Nothing_Across_Compactions()
    {
        // Eight instances (each its own journal, as separate processes have) and one shared by two threads, with a
        // threshold low enough that the journal is compacted several times during the race.
        var instances = Enumerable.Range(0, 8).Select(_ => Open(compactAbove: 2048)).ToList();
        var shared = Open(compactAbove: 2048);

        Parallel.For(0, 10, thread =>
        {
            var registry = thread < 8 ? instances[thread] : shared;
            for (var i = 0; i < 40; i++)
            {
                registry.SetValue(Key, $"t{thread}-{i}", RegistryValue.DWord((uint)i));
            }
        });

        var names = Open().GetValueNames(Key);
        Assert.That(names, Has.Count.EqualTo(400));
    }

    [Test]
    public void A_Sandbox_Locked_Too_Long_Gives_A_Clear_Error()
    {
        var sandbox = new SandboxLayer(_folder);
        using var held = sandbox.AcquireLock();

        var error = Assert.Throws<IOException>(() => sandbox.AcquireLock(TimeSpan.FromMilliseconds(100)))!;

        Assert.That(error.Message, Does.Contain("stayed locked by another instance").And.Contain(_folder));
    }
}
