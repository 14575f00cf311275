using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// The only files a lab script can read: the lab's <c>asm</c> blocks, the shared guests of <c>labs/guests</c>,
/// the student's work folder, and what those include. Names are plain relative names (<c>"ring3.s"</c>,
/// <c>"guests/minikernel.s"</c>): no rooted paths, no <c>..</c>, no symbolic links, at most
/// <see cref="ScriptLimits.MaxTextLength"/> characters, so a lab from someone else's course cannot read the
/// rest of the host. Nothing here writes.
/// </summary>
internal sealed class ScriptFiles(LabDocument lab, StudentWork session, ScriptLimits limits)
{
    private const string GuestsPrefix = "guests/";

    // The labs folder (labs/guests is below it): where shared guests and their includes live.
    private readonly string labsRoot = Path.GetFullPath(Path.Combine(lab.Folder, ".."));

    /// <summary>Whether the student's work folder has the file.</summary>
    public bool HasWorkFile(string name) => WorkPath(name, "hasWorkFile") is { } path && File.Exists(path);

    /// <summary>A file of the student's work folder; fails the step, saying what to do, if it is missing.</summary>
    public string WorkFile(string name) => ReadText(ExistingWorkPath(name, "workFile"), name);

    private string ExistingWorkPath(string name, string call)
    {
        var path = WorkPath(name, call);
        if (path is null || !File.Exists(path))
        {
            throw new ScriptFailure(session.WorkDirectory is null
                ? $"step not done yet: there is no work folder; run 'workbench lab start {lab.Id}' and edit {name} there"
                : $"step not done yet: {Path.Combine(session.WorkDirectory, name)} does not exist");
        }
        return path;
    }

    /// <summary>A program's text and the name errors give it: an asm block of the lab, a shared guest
    /// (<c>"guests/minikernel.s"</c>) or a file of the work folder.</summary>
    public (string Text, string Name) Resolve(string name)
    {
        if (lab.FindAssembly(name) is { } block) return (block.Source, $"{lab.Id}/lab.md:{name}");
        if (name.StartsWith(GuestsPrefix, StringComparison.Ordinal))
        {
            var file = name[GuestsPrefix.Length..];
            if (!IsPlainName(file)) throw new ScriptFailure($"load('{name}'): a shared guest is named guests/FILE.s, one file of labs/guests");
            var path = Path.Combine(labsRoot, "guests", file);
            return File.Exists(path) ? (ReadText(path, name), path) : throw new ScriptFailure($"load('{name}'): {path} does not exist");
        }
        return (WorkFile(name), session.WorkDirectory is { } dir ? Path.Combine(dir, name) : name);
    }

    /// <summary>A binary file (a compiled program) and the name errors give it: a file below the shared guests
    /// (<c>"guests/rv32/prebuilt/hello.elf"</c>) or of the work folder, at most
    /// <see cref="ScriptLimits.MaxTextLength"/> bytes.</summary>
    public (byte[] Bytes, string Name) ReadBinary(string name, string call)
    {
        string path;
        if (name.StartsWith(GuestsPrefix, StringComparison.Ordinal))
        {
            if (!IsRelativeName(name[GuestsPrefix.Length..])) throw new ScriptFailure($"{call}('{name}'): a shared guest is named guests/FOLDER/FILE, below labs/guests, without '..'");
            path = Path.Combine(labsRoot, "guests", name[GuestsPrefix.Length..]);
            if (!File.Exists(path)) throw new ScriptFailure($"{call}('{name}'): {path} does not exist");
        }
        else
        {
            path = ExistingWorkPath(name, call);
        }
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) throw new ScriptFailure($"{name}: scripts do not follow symbolic links");
        if (info.Length > limits.MaxTextLength) throw new ScriptFailure($"{name}: a script reads files of at most {limits.MaxTextLength / 1024} KiB");
        return (File.ReadAllBytes(path), name);
    }

    /// <summary>Assembler options whose <c>.include</c> reads only below the labs folder or the work folder, and
    /// at most <see cref="ScriptLimits.MaxTextLength"/> characters in all: a source that includes one file a
    /// thousand times must not keep the assembler, which does not look at the deadline, busy for minutes.</summary>
    public AssemblerOptions Assembler(IReadOnlyCollection<string>? defines = null)
    {
        var included = 0L;
        return new()
        {
            Defines = defines ?? [],
            ReadFile = path =>
            {
                if (!IsBelow(path, labsRoot) && !(session.WorkDirectory is { } work && IsBelow(path, Path.GetFullPath(work)))) return null;
                if (!File.Exists(path)) return null;
                var text = ReadText(path, Path.GetFileName(path));
                included += text.Length;
                return included <= limits.MaxTextLength ? text : throw new ScriptFailure($"{Path.GetFileName(path)}: a program may include at most {limits.MaxTextLength / 1024} KiB of files in all");
            },
        };
    }

    /// <summary>Program text written in a script, refused if longer than <see cref="ScriptLimits.MaxTextLength"/>
    /// for the same reason.</summary>
    public string Checked(string text, string call) =>
        text.Length <= limits.MaxTextLength ? text : throw new ScriptFailure($"{call}: a program is at most {limits.MaxTextLength / 1024} KiB of text");

    private string? WorkPath(string name, string call)
    {
        if (!IsRelativeName(name))
        {
            throw new ScriptFailure($"{call}('{name}'): a work file is named relative to the work folder, without '..'");
        }
        return session.WorkDirectory is { } dir ? Path.Combine(dir, name) : null;
    }

    private string ReadText(string path, string name)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) throw new ScriptFailure($"{name}: scripts do not follow symbolic links");
        // Bytes bound characters from above, so this refuses before reading anything large.
        if (info.Length > limits.MaxTextLength) throw new ScriptFailure($"{name}: a script reads files of at most {limits.MaxTextLength / 1024} KiB");
        return File.ReadAllText(path);
    }

    private static bool IsBelow(string path, string root)
    {
        var full = Path.GetFullPath(path);
        return full.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            && new FileInfo(full).LinkTarget is null;
    }

    // One file name: letters, digits, '.', '_' and '-', not starting with '.'.
    private static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 255 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    // Plain names separated by '/': a file in the work folder or below it.
    private static bool IsRelativeName(string name) => name.Split('/').All(IsPlainName);
}
