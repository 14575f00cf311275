using Newtonsoft.Json;

namespace Storage;

/// <summary>A library that does its own file I/O, as third-party libraries do: JSON notes in a folder.</summary>
public sealed class NoteStore(string folder)
{
    public void Add(string note)
    {
        var notes = Load();
        notes.Add(note);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notes.json"), JsonConvert.SerializeObject(notes));
    }

    public List<string> Load()
    {
        var path = Path.Combine(folder, "notes.json");
        return File.Exists(path) ? JsonConvert.DeserializeObject<List<string>>(File.ReadAllText(path)) ?? [] : [];
    }
}
