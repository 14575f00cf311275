using Microsoft.Win32;

// NoteApp: adds its argument (1 if none) to a counter it keeps in %AppData%/NoteApp/count.txt, and counts its runs
// in the registry under HKEY_CURRENT_USER\Software\NoteApp. It prints both. Packaged, it shows where each isolation
// mode lets its writes land and what it can see of the host.
var add = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 1;
var folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "NoteApp");
Directory.CreateDirectory(folder);
var file = Path.Combine(folder, "count.txt");
var count = File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var before) ? before : 0;
count += add;
File.WriteAllText(file, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
using var key = Registry.CurrentUser.CreateSubKey(@"Software\NoteApp");
var runs = (key.GetValue("Runs") is int r ? r : 0) + 1;
key.SetValue("Runs", runs, RegistryValueKind.DWord);
Console.WriteLine($"count {count}, run {runs}");
