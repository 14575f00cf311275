// A test application for the ways a call reaches a redirected member other than a plain call: delegates and
// method groups, a netstandard library, framework APIs that take a path, and an application's own type that only
// looks like a framework one. Each command prints what the application saw.
extern alias OwnFile;

using System.IO.Compression;
using System.Xml;
using System.Xml.Linq;
using RedirectionsLibrary;

var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

switch (args.FirstOrDefault())
{
    case "delegates":
    {
        // Static members as delegates (ldftn): File.WriteAllText, File.ReadAllText, File.Exists.
        Action<string, string> write = File.WriteAllText;
        Func<string, string> read = File.ReadAllText;
        Func<string?, bool> exists = File.Exists;
        var note = Path.Combine(home, "delegate-note.txt");
        write(note, "written through a delegate");
        Console.WriteLine($"read: {read(note)}");
        // An instance member that is not virtual (ldftn closed over the instance): FileInfo.CreateText.
        Func<StreamWriter> createText = new FileInfo(Path.Combine(home, "delegate-created.txt")).CreateText;
        using (var writer = createText())
        {
            writer.Write("created through a method group");
        }
        Console.WriteLine($"created: {exists(Path.Combine(home, "delegate-created.txt"))}");
        // A virtual instance member (dup; ldvirtftn): FileInfo.Delete, which overrides FileSystemInfo.Delete.
        Action delete = new FileInfo(args[1]).Delete;
        delete();
        Console.WriteLine($"deleted: {!exists(args[1])}");
        // A method group handed to a framework method.
        Console.WriteLine($"both: {string.Join("|", new[] { note, Path.Combine(home, "delegate-created.txt") }.Select(read))}");
        return 0;
    }
    case "library-write":
        Notes.Save(args[1], args[2]);
        Console.WriteLine(Notes.Delete(args[3]));
        return 0;
    case "library-read":
        foreach (var line in Notes.Describe(args[1]))
        {
            Console.WriteLine(line);
        }
        Console.WriteLine($"victim: {(File.Exists(args[2]) ? "present" : "gone")}");
        return 0;
    case "xml":
    {
        var folder = Path.Combine(home, "xml");
        Directory.CreateDirectory(folder);
        new XDocument(new XElement("settings", new XAttribute("theme", args[1]))).Save(Path.Combine(folder, "linq.xml"));
        var document = new XmlDocument();
        document.LoadXml($"<settings><size>{args[2]}</size></settings>");
        document.Save(Path.Combine(folder, "dom.xml"));
        var theme = XDocument.Load(Path.Combine(folder, "linq.xml")).Root!.Attribute("theme")!.Value;
        var loaded = new XmlDocument();
        loaded.Load(Path.Combine(folder, "dom.xml"));
        Console.WriteLine($"theme: {theme}");
        Console.WriteLine($"size: {loaded.SelectSingleNode("/settings/size")!.InnerText}");
        return 0;
    }
    case "zip":
    {
        var source = Path.Combine(home, "zip-source");
        Directory.CreateDirectory(Path.Combine(source, "inner"));
        File.WriteAllText(Path.Combine(source, "top.txt"), args[1]);
        File.WriteAllText(Path.Combine(source, "inner", "deep.txt"), args[1] + " deep");
        var archive = Path.Combine(home, "archive.zip");
        ZipFile.CreateFromDirectory(source, archive);
        var target = Path.Combine(home, "zip-target");
        ZipFile.ExtractToDirectory(archive, target);
        Console.WriteLine($"top: {File.ReadAllText(Path.Combine(target, "top.txt"))}");
        Console.WriteLine($"deep: {File.ReadAllText(Path.Combine(target, "inner", "deep.txt"))}");
        return 0;
    }
    case "temp":
    {
        var temp = Path.GetTempPath();
        var file = Path.GetTempFileName();
        File.WriteAllText(file, args[1]);
        Console.WriteLine($"temp: {temp}");
        Console.WriteLine($"file: {file}");
        Console.WriteLine($"in temp: {Path.GetDirectoryName(file) + Path.DirectorySeparatorChar == temp}");
        Console.WriteLine($"content: {File.ReadAllText(file)}");
        return 0;
    }
    case "own":
        // The application's own System.IO.File (another assembly, same namespace and name, same signatures).
        OwnFile::System.IO.File.WriteAllText(args[1], "kept in memory");
        Console.WriteLine(OwnFile::System.IO.File.ReadAllText(args[1]));
        Console.WriteLine($"own exists: {(OwnFile::System.IO.File.Exists(args[1]))}");
        Console.WriteLine($"framework exists: {File.Exists(args[1])}");
        return 0;
    default:
        Console.Error.WriteLine("usage: Redirections delegates VICTIM | library-write TEXT PATH VICTIM | library-read PATH VICTIM | xml THEME SIZE | zip TEXT | temp TEXT | own PATH");
        return 64;
}
