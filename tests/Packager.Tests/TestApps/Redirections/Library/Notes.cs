namespace RedirectionsLibrary;

/// <summary>Keeps notes on disk with the filesystem and environment APIs as a netstandard2.0 library sees them.</summary>
public static class Notes
{
    /// <summary>The folder the library keeps its notes in: application data, as the environment reports it
    /// (created if missing, else an empty name comes back).</summary>
    public static string Folder =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.Create), "RedirectionsLibrary");

    /// <summary>Writes <paramref name="text"/> to the library's notes file and to <paramref name="extraPath"/>.</summary>
    public static void Save(string text, string extraPath)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "notes.txt"), text);
        File.AppendAllText(Path.Combine(Folder, "notes.txt"), "!");
        new FileInfo(extraPath).Directory!.Create();
        File.WriteAllText(extraPath, text);
    }

    /// <summary>What the library sees: its folder, its files and their contents.</summary>
    public static IEnumerable<string> Describe(string extraPath)
    {
        yield return $"folder: {Folder}";
        yield return $"files: {string.Join(",", Directory.Exists(Folder) ? Directory.GetFiles(Folder).Select(Path.GetFileName) : new[] { "<no folder>" })}";
        yield return $"notes: {Show(Path.Combine(Folder, "notes.txt"))}";
        yield return $"extra: {Show(extraPath)}";
    }

    /// <summary>Deletes <paramref name="path"/>, saying whether it is gone.</summary>
    public static string Delete(string path)
    {
        File.Delete(path);
        return File.Exists(path) ? "still there" : "deleted";
    }

    private static string Show(string path) => File.Exists(path) ? File.ReadAllText(path) : "<missing>";
}
