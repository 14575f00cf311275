using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using VirtualizationWorkbench.Sandbox.FileSystem;

namespace VirtualizationWorkbench.Sandbox.Registry;

/// <summary>The sandbox's registry changes as one append-only file, <c>registry.journal</c>, so that a change costs
/// an append of what it changes, not a rewrite of everything changed before.
/// <code>
/// header  (24 bytes, only ever written whole, by rename)
///   "VWBREGJ1"      magic
///   u64 generation  a random number each new file gets: an instance that read another file rereads from the start
///   u64 base        the file's length when it was written (the compacted size)
/// record  (repeated, appended under the sandbox lock)
///   u32 length      of the payload
///   u64 hash        the first 8 bytes of the payload's SHA-256
///   payload         one .reg key block: [KEY] with its values set or deleted ("name"=-), or [-KEY]
/// </code>
/// Replaying the records in order over an empty tree (as <see cref="RegistryTree.Apply"/> does with changes) gives
/// the sandbox's changes. A record whose length runs past the end or whose hash does not match is the torn tail of
/// a writer that died mid-append: it and whatever follows it are ignored, never the records before it, and the
/// next writer cuts it off before appending. When the file has grown past twice its compacted size (and past
/// <see cref="DefaultCompactAbove"/>), the writer holding the lock writes the changes as a new file with a new
/// generation and renames it over the old one; other instances notice the generation and reread.
/// <para>Not thread-safe: <see cref="VirtualRegistry"/> serializes the calls of its threads; instances (threads
/// with their own journal, or processes) are serialized by the sandbox lock.</para></summary>
public sealed class RegistryJournal
{
    /// <summary>The journal's file name in the sandbox folder.</summary>
    public const string FileName = "registry.journal";

    /// <summary>Where sandboxes made before the journal kept their registry changes (a whole <c>.reg</c> file,
    /// rewritten at every change); read once and replaced by the journal.</summary>
    public const string LegacyFileName = "registry.reg";

    /// <summary>Below this size the journal is never compacted: rewriting a small file saves nothing worth it.</summary>
    public const long DefaultCompactAbove = 1 << 20;

    private const int HeaderLength = 24;
    private static ReadOnlySpan<byte> Magic => "VWBREGJ1"u8;
    private const int RecordHeaderLength = 12;

    private readonly string _folder;
    private readonly Func<IDisposable> _acquireLock;
    private readonly long _compactAbove;

    // What this instance has read: the file's generation (0 when there is no file), the end of the last record
    // applied, and the file's compacted size.
    private ulong _generation;
    private long _offset;
    private long _base;

    /// <summary>Opens the journal of the sandbox at <paramref name="folder"/> and reads it (first turning a
    /// sandbox's old <c>registry.reg</c> into a journal).</summary>
    /// <param name="folder">The sandbox folder.</param>
    /// <param name="acquireLock">Takes the sandbox's lock; every write happens under it.</param>
    /// <param name="compactAbove">The size below which the journal is never compacted.</param>
    /// <exception cref="RegFileFormatException">The old <c>registry.reg</c> cannot be read.</exception>
    /// <exception cref="IOException">The journal's header is damaged.</exception>
    public RegistryJournal(string folder, Func<IDisposable> acquireLock, long compactAbove = DefaultCompactAbove)
        : this(folder, acquireLock, compactAbove, migrate: true)
    {
    }

    private RegistryJournal(string folder, Func<IDisposable> acquireLock, long compactAbove, bool migrate)
    {
        _folder = folder;
        _acquireLock = acquireLock;
        _compactAbove = compactAbove;
        if (migrate && File.Exists(LegacyPath))
        {
            using (_acquireLock())
            {
                Migrate();
            }
        }
        using var stream = TryOpen(FileAccess.Read);
        CatchUp(stream, holdingLock: false);
    }

    /// <summary>The journal file.</summary>
    public string Path => System.IO.Path.Combine(_folder, FileName);

    /// <summary>The sandbox's changes as this instance last read them (tombstones and deleted values included).</summary>
    public RegistryTree Changes { get; private set; } = new();

    private string LegacyPath => System.IO.Path.Combine(_folder, LegacyFileName);

    /// <summary>The changes of the sandbox at <paramref name="folder"/>, read without writing anything (for tools
    /// that look at a sandbox from outside): from the journal, else from an old <c>registry.reg</c>.</summary>
    public static RegistryTree ReadChanges(string folder)
    {
        if (!File.Exists(System.IO.Path.Combine(folder, FileName)) && File.Exists(System.IO.Path.Combine(folder, LegacyFileName)))
        {
            var legacy = new RegistryTree();
            legacy.Apply(RegFileParser.ParseFile(System.IO.Path.Combine(folder, LegacyFileName)), asChanges: true);
            return legacy;
        }
        return new RegistryJournal(folder, () => throw new InvalidOperationException("Reading a journal takes no lock."), long.MaxValue, migrate: false).Changes;
    }

    /// <summary>Removes the journal (and an old <c>registry.reg</c>) of the sandbox at <paramref name="folder"/>;
    /// the caller holds the sandbox lock. Instances still running notice the missing file and start from no
    /// changes.</summary>
    public static void Delete(string folder)
    {
        File.Delete(System.IO.Path.Combine(folder, FileName));
        File.Delete(System.IO.Path.Combine(folder, LegacyFileName));
    }

    /// <summary>Appends one change (a key block as in a <c>.reg</c> file) under the sandbox lock, after applying what
    /// other instances appended since this one last read; compacts the journal when it has grown enough.</summary>
    public void Append(RegFileKey change)
    {
        var record = Record(change);
        using (_acquireLock())
        {
            using var stream = TryOpen(FileAccess.ReadWrite);
            CatchUp(stream, holdingLock: true);
            if (stream is null)
            {
                // The first change of a fresh (or reset) sandbox: the file appears whole, header and record, by rename.
                WriteNew([record]);
                Changes.Apply(Document(change), asChanges: true);
                return;
            }
            stream.Position = _offset;
            // One write call: a writer killed now leaves at most this record torn, which readers drop.
            stream.Write(record);
            _offset += record.Length;
            Changes.Apply(Document(change), asChanges: true);
            if (_offset > Math.Max(_compactAbove, 2 * _base))
            {
                try
                {
                    Compact();
                }
                catch (IOException)
                {
                    // The change is in the journal already; a compaction that cannot be written (a full disk) only
                    // leaves the file longer, and the next change tries again.
                }
            }
        }
    }

    /// <summary>Applies what other instances appended since this one last read (rereading the whole journal when it
    /// was compacted or reset). Takes no lock: a record being appended right now looks torn and is read next time.</summary>
    public void Refresh()
    {
        using var stream = TryOpen(FileAccess.Read);
        CatchUp(stream, holdingLock: false);
    }

    /// <summary>Writes the changes as a new journal of one record per key and renames it over the old one (under
    /// the lock). A temporary file of an earlier compaction is what one killed mid-write left (only the holder of
    /// the lock writes one): it goes.</summary>
    private void Compact()
    {
        foreach (var stale in Directory.EnumerateFiles(_folder, $".~{FileName}.*"))
        {
            if (AtomicFile.IsTemporaryName(System.IO.Path.GetFileName(stale)))
            {
                File.Delete(stale);
            }
        }
        WriteNew([.. Changes.ToDocument().Keys.Select(Record)]);
    }

    /// <summary>Turns an old sandbox's <c>registry.reg</c> into the journal, once: another instance may have done it
    /// while this one waited for the lock. The journal lands (by rename) before the old file goes, so a crash in
    /// between leaves both, and the journal wins.</summary>
    private void Migrate()
    {
        if (!File.Exists(Path) && File.Exists(LegacyPath))
        {
            Changes.Apply(RegFileParser.ParseFile(LegacyPath), asChanges: true);
            Compact();
        }
        File.Delete(LegacyPath);
    }

    /// <summary>Applies the records after the last one read; <paramref name="stream"/> is the journal, or null when
    /// there is none.</summary>
    private void CatchUp(FileStream? stream, bool holdingLock)
    {
        if (stream is null)
        {
            if (_generation != 0)
            {
                // The sandbox was reset while this instance ran: its changes are gone for everyone.
                Changes = new RegistryTree();
                _generation = 0;
                _offset = 0;
                _base = 0;
            }
            return;
        }
        Span<byte> header = stackalloc byte[HeaderLength];
        if (stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false) < HeaderLength || !header[..8].SequenceEqual(Magic))
        {
            throw new IOException($"The registry journal '{Path}' is damaged (its header is not a journal's), so the application's registry changes cannot be read. `workbench sandbox reset` forgets them; or restore the file from a backup.");
        }
        var generation = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        var length = stream.Length;
        // Another generation: compacted (or reset and begun again) by another instance. Shorter than what was read:
        // cut by something else than a writer. Either way, read it all again.
        if (generation != _generation || length < _offset)
        {
            Changes = new RegistryTree();
            _generation = generation;
            _offset = HeaderLength;
            _base = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        }
        if (length == _offset)
        {
            return;
        }
        var tail = new byte[length - _offset];
        stream.Position = _offset;
        var read = stream.ReadAtLeast(tail, tail.Length, throwOnEndOfStream: false);
        var at = 0;
        while (TryReadRecord(tail.AsSpan(at, read - at), out var change, out var size))
        {
            Changes.Apply(Document(change), asChanges: true);
            at += size;
        }
        _offset += at;
        if (holdingLock && _offset < length)
        {
            // A torn record from a writer that died mid-append (no one else writes while the lock is held): cut it
            // off, so that the next record follows the last whole one.
            stream.SetLength(_offset);
        }
    }

    private void WriteNew(IReadOnlyList<byte[]> records)
    {
        var generation = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        var length = HeaderLength + records.Sum(record => (long)record.Length);
        AtomicFile.Write(Path, stream =>
        {
            Span<byte> header = stackalloc byte[HeaderLength];
            Magic.CopyTo(header);
            BinaryPrimitives.WriteUInt64LittleEndian(header[8..], generation);
            BinaryPrimitives.WriteUInt64LittleEndian(header[16..], (ulong)length);
            stream.Write(header);
            foreach (var record in records)
            {
                stream.Write(record);
            }
        });
        _generation = generation;
        _offset = length;
        _base = length;
    }

    /// <summary>The journal opened unbuffered (so that an append is one write call), or null when there is none.
    /// Every instance opens it shared: readers, the writer under the lock, and a compaction's rename at once.</summary>
    private FileStream? TryOpen(FileAccess access)
    {
        try
        {
            return new FileStream(Path, FileMode.Open, access, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static RegFileDocument Document(RegFileKey change)
    {
        var document = new RegFileDocument();
        document.Keys.Add(change);
        return document;
    }

    // Value forms in a record: how the value's data is held (see RegistryValue), so that it reads back exactly.
    private const byte Deleted = 0, Text = 1, Lines = 2, Number32 = 3, Number64 = 4, Bytes = 5;

    /// <summary>The record of one change: length, hash, payload.</summary>
    private static byte[] Record(RegFileKey change)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(change.Delete);
            writer.Write(change.Path);
            writer.Write7BitEncodedInt(change.Values.Count);
            foreach (var (name, value) in change.Values)
            {
                writer.Write(name);
                switch (value?.Data)
                {
                    case null:
                        writer.Write(Deleted);
                        continue;
                    case string text:
                        writer.Write(Text);
                        writer.Write((int)value.Type);
                        writer.Write(text);
                        break;
                    case string[] lines:
                        writer.Write(Lines);
                        writer.Write((int)value.Type);
                        writer.Write7BitEncodedInt(lines.Length);
                        foreach (var line in lines)
                        {
                            writer.Write(line);
                        }
                        break;
                    case uint number:
                        writer.Write(Number32);
                        writer.Write((int)value.Type);
                        writer.Write(number);
                        break;
                    case ulong number:
                        writer.Write(Number64);
                        writer.Write((int)value.Type);
                        writer.Write(number);
                        break;
                    case byte[] bytes:
                        writer.Write(Bytes);
                        writer.Write((int)value.Type);
                        writer.Write7BitEncodedInt(bytes.Length);
                        writer.Write(bytes);
                        break;
                }
            }
        }
        var record = new byte[RecordHeaderLength + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)payload.Length);
        payload.GetBuffer().AsSpan(0, (int)payload.Length).CopyTo(record.AsSpan(RecordHeaderLength));
        SHA256.HashData(record.AsSpan(RecordHeaderLength))[..8].CopyTo(record.AsSpan(4));
        return record;
    }

    /// <summary>Reads the record at the start of <paramref name="bytes"/>; false when there is none whole (the end,
    /// or a torn or damaged record).</summary>
    private static bool TryReadRecord(ReadOnlySpan<byte> bytes, out RegFileKey change, out int size)
    {
        change = null!;
        size = 0;
        if (bytes.Length < RecordHeaderLength)
        {
            return false;
        }
        var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if (length > bytes.Length - RecordHeaderLength)
        {
            return false;
        }
        var payload = bytes.Slice(RecordHeaderLength, (int)length);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        if (!hash[..8].SequenceEqual(bytes.Slice(4, 8)))
        {
            return false;
        }
        try
        {
            change = ReadPayload(payload.ToArray());
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or FormatException)
        {
            // A whole record with the right hash that does not decode was written by something else: stop here too.
            return false;
        }
        size = RecordHeaderLength + (int)length;
        return true;
    }

    private static RegFileKey ReadPayload(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var delete = reader.ReadBoolean();
        var path = RegistryKeyPath.Normalize(reader.ReadString());
        var count = reader.Read7BitEncodedInt();
        var values = new List<(string Name, RegistryValue? Value)>(Math.Min(count, 1024));
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var form = reader.ReadByte();
            if (form == Deleted)
            {
                values.Add((name, null));
                continue;
            }
            var type = (RegistryValueType)reader.ReadInt32();
            values.Add((name, form switch
            {
                Text when type == RegistryValueType.ExpandString => RegistryValue.ExpandString(reader.ReadString()),
                Text => RegistryValue.String(reader.ReadString()),
                Lines => RegistryValue.MultiString(Enumerable.Range(0, reader.Read7BitEncodedInt()).Select(_ => reader.ReadString()).ToArray()),
                Number32 => RegistryValue.DWord(reader.ReadUInt32()),
                Number64 => RegistryValue.QWord(reader.ReadUInt64()),
                Bytes => RegistryValue.FromBytes(type, reader.ReadBytes(reader.Read7BitEncodedInt()), Encoding.Unicode),
                _ => throw new FormatException($"unknown value form {form}"),
            }));
        }
        if (reader.BaseStream.Position != payload.Length)
        {
            throw new FormatException("bytes after the record");
        }
        return new RegFileKey(path, delete, values);
    }
}
