// A ReadyToRun-compiled application that keeps a note in the home folder.
var notes = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "precompiled-notes.txt");
if (args.Length > 0)
{
    File.WriteAllText(notes, args[0]);
}
Console.WriteLine(File.Exists(notes) ? File.ReadAllText(notes) : "<missing>");
