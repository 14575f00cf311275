var path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "TwoEntries", "shared.txt");
Console.WriteLine($"reader sees: {(File.Exists(path) ? File.ReadAllText(path) : "<nothing>")}");
