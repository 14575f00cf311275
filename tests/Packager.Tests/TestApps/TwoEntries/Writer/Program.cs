var folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "TwoEntries");
Directory.CreateDirectory(folder);
File.WriteAllText(Path.Combine(folder, "shared.txt"), string.Join(' ', args));
Console.WriteLine("writer done");
