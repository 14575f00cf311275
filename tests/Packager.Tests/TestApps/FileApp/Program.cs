// A test application that keeps files where real applications do: beside itself, in the user's
// application-data folder and in the home folder.
var own = Path.Combine(AppContext.BaseDirectory, "data.txt");
var appData = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "FileApp");
var settings = Path.Combine(appData, "settings.txt");
var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
var notes = Path.Combine(home, "fileapp-notes.txt");
var log = Path.Combine(home, "fileapp-log.txt");

string Show(string path) => File.Exists(path) ? File.ReadAllText(path).TrimEnd() : "<missing>";

switch (args.FirstOrDefault())
{
    case "write":
        var text = string.Join(' ', args.Skip(1));
        File.WriteAllText(own, text);
        Directory.CreateDirectory(appData);
        using (var writer = new StreamWriter(settings))
        {
            writer.Write(text);
        }
        new FileInfo(notes).Directory!.Create();
        File.WriteAllText(notes, text);
        File.AppendAllText(log, text + "\n");
        Console.WriteLine($"wrote {text}");
        return 0;
    case "read":
        Console.WriteLine($"own: {Show(own)}");
        Console.WriteLine($"appdata: {Show(settings)}");
        Console.WriteLine($"home: {Show(notes)}");
        Console.WriteLine($"log: {Show(log).Replace("\n", "|")}");
        return 0;
    case "shipped":
        Console.WriteLine(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "shipped.txt")).TrimEnd());
        return 0;
    case "delete":
        File.Delete(args[1]);
        Console.WriteLine(File.Exists(args[1]) ? "still there" : "deleted");
        return 0;
    case "cat":
        Console.WriteLine(File.Exists(args[1]) ? File.ReadAllText(args[1]).TrimEnd() : "<missing>");
        return 0;
    case "put":
        File.WriteAllText(args[1], args[2]);
        return 0;
    case "list":
        foreach (var entry in Directory.GetFileSystemEntries(args[1]).Order())
        {
            Console.WriteLine(Path.GetFileName(entry));
        }
        return 0;
    case "culture":
        // What the user's culture makes of a number, a date and an ordering (linguistic unless invariant).
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        Console.WriteLine($"{culture.Name}|{1234.5:N1}|{new DateTime(2000, 1, 31):D}|{string.Join(',', new[] { "b", "a", "B", "A" }.Order())}");
        return 0;
    case "derived-write":
        // Classes derived from the stream types open their files through the base constructor, as logging
        // libraries' writers do.
        using (var writer = new LogWriter(Path.Combine(home, "derived-log.txt")))
        {
            writer.WriteLine(args[1]);
        }
        using (var stream = new NoteStream(Path.Combine(home, "derived-note.bin"), create: true))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(args[1]));
        }
        return 0;
    case "derived-read":
        using (var reader = new LogReader(Path.Combine(home, "derived-log.txt")))
        {
            Console.WriteLine($"log: {reader.ReadToEnd().TrimEnd().Replace("\n", "|")}");
        }
        using (var stream = new NoteStream(Path.Combine(home, "derived-note.bin"), create: false))
        using (var noteReader = new StreamReader(stream))
        {
            Console.WriteLine($"note: {noteReader.ReadToEnd()}");
        }
        return 0;
    case "echo":
        Console.WriteLine(string.Join('|', args.Skip(1)));
        Console.Error.WriteLine("to stderr");
        return args.Length - 1;
    case "stdin":
        Console.WriteLine(Console.In.ReadToEnd().ToUpperInvariant().TrimEnd());
        return 0;
    case "home":
        Console.WriteLine(home);
        return 0;
    case "session":
        // Whether this process leads a session of its own (/proc/self/stat: pid, (name), state, ppid, pgrp, session),
        // and whether it has a controlling terminal (tty_nr, the next field), read after the name's closing parenthesis.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        Console.WriteLine($"{(fields[3] == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) ? "own session" : "the caller's session")}, terminal {fields[4]}");
        return 0;
    case "names":
        // Members that take a "uri" or a "fileName" but touch no file: pack must not report them.
        var uri = new UriBuilder("https://example.org/notes").Uri;
        var namespaces = new System.Xml.XmlNamespaceManager(new System.Xml.NameTable());
        namespaces.AddNamespace("n", "urn:notes");
        var missing = new FileNotFoundException("no notes", "notes.txt");
        Console.WriteLine($"{uri.Host} {namespaces.LookupNamespace("n")} {missing.FileName}");
        return 0;
    case "spawn":
        // A child process, as tools start git or a compiler.
        using (var child = System.Diagnostics.Process.Start("/bin/sh", ["-c", "echo child says " + args[1]]))
        {
            child.WaitForExit();
            return child.ExitCode;
        }
    default:
        Console.Error.WriteLine("usage: FileApp write TEXT | read | shipped | delete PATH | cat PATH | put PATH TEXT | list DIR | echo ARGS | stdin | home | session | names | spawn WORD | culture | derived-write TEXT | derived-read");
        return 64;
}

/// <summary>Appends to a log file through StreamWriter's path constructor.</summary>
internal sealed class LogWriter(string path) : StreamWriter(path, append: true);

/// <summary>Reads a log file through StreamReader's path constructor.</summary>
internal sealed class LogReader(string path) : StreamReader(path);

/// <summary>Opens its file through FileStream's path constructor, with a mode chosen in the argument list
/// itself (the compiled base call is the target of a branch).</summary>
internal sealed class NoteStream(string path, bool create)
    : FileStream(path, create ? FileMode.Create : FileMode.Open, create ? FileAccess.Write : FileAccess.Read);
