// A test application for what a packaged application must see exactly as it does unpackaged: its own dependency
// context and runtimeconfig, file-system members on missing paths, relative info objects, the environment its
// child processes inherit, and listings of the home folder. Each command prints what the application saw.
using System.Diagnostics;
using Microsoft.Extensions.DependencyModel;

// "all DIR" runs every probe in one start, each under a heading, the relative one last (it changes folder).
if (args.FirstOrDefault() == "all")
{
    foreach (var probe in (string[][])[["context"], ["missing", args[1]], ["child"], ["home"], ["log"], ["relative", args[1]]])
    {
        Console.WriteLine($"== {probe[0]}");
        Probe(probe);
    }
    return 0;
}
return Probe(args);

static int Probe(string[] args)
{
switch (args.FirstOrDefault())
{
    case "context":
    {
        var deps = (string?)AppContext.GetData("APP_CONTEXT_DEPS_FILES") ?? "";
        Console.WriteLine($"deps files: {string.Join(";", deps.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFileName))}");
        var libraries = (DependencyContext.Default?.RuntimeLibraries.Select(library => library.Name) ?? []).Order(StringComparer.Ordinal);
        Console.WriteLine($"libraries: {string.Join(",", libraries)}");
        Console.WriteLine($"setting: {AppContext.GetData("Fidelity.Setting") ?? "(none)"}");
        return 0;
    }
    case "missing":
    {
        // Every question a FileSystemInfo answers about a path that does not exist, as the framework answers it.
        var missing = Path.Combine(args[1], "missing");
        Console.WriteLine($"file attributes: {(int)new FileInfo(missing).Attributes}");
        Console.WriteLine($"folder attributes: {(int)new DirectoryInfo(missing).Attributes}");
        Console.WriteLine($"written: {new FileInfo(missing).LastWriteTimeUtc:O}");
        Console.WriteLine($"exists: {new FileInfo(missing).Exists} {new DirectoryInfo(missing).Exists}");
        Console.WriteLine($"link: {new FileInfo(missing).LinkTarget ?? "(none)"}");
        Console.WriteLine($"read-only: {new FileInfo(missing).IsReadOnly}");
        Console.WriteLine($"mode: {(int)new FileInfo(missing).UnixFileMode}");
        return 0;
    }
    case "relative":
    {
        Directory.SetCurrentDirectory(args[1]);
        Console.WriteLine($"file: {new FileInfo("notes.txt").FullName}");
        Console.WriteLine($"folder: {new DirectoryInfo(".").FullName}");
        Console.WriteLine($"full path: {Path.GetFullPath("notes.txt")}");
        try
        {
            _ = new FileInfo("no-such-file.txt").Length;
        }
        catch (FileNotFoundException e)
        {
            Console.WriteLine($"error: {e.Message}");
        }
        return 0;
    }
    case "child":
    {
        Environment.SetEnvironmentVariable("FIDELITY_SET_BY_APP", "inherited");
        var start = new ProcessStartInfo("/bin/sh", ["-c", "echo \"child sees: ${FIDELITY_SET_BY_APP:-nothing}\""]) { RedirectStandardOutput = true };
        using var child = Process.Start(start)!;
        Console.Write(child.StandardOutput.ReadToEnd());
        child.WaitForExit();
        return 0;
    }
    case "home":
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Console.WriteLine($"home: {string.Join(",", Directory.GetDirectories(home).Select(Path.GetFileName).Order(StringComparer.Ordinal))}");
        return 0;
    }
    case "log":
    {
        // Appends a log beside its own assembly, as many tools do.
        var log = Path.Combine(AppContext.BaseDirectory, "fidelity.log");
        File.AppendAllText(log, "started\n");
        File.AppendAllText(log, "again\n");
        Console.WriteLine($"log: {File.ReadAllText(log).Replace("\n", "|")}");
        return 0;
    }
    default:
        Console.Error.WriteLine("usage: Fidelity all DIR|context|missing DIR|relative DIR|child|home|log");
        return 2;
}
}
