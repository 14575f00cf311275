using Storage;

var store = new NoteStore(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "MultiApp"));
if (args.Length > 0)
{
    store.Add(string.Join(' ', args));
}
Console.WriteLine($"notes: {string.Join(" | ", store.Load())}");
Console.WriteLine($"json: {Newtonsoft.Json.JsonConvert.SerializeObject(new { count = store.Load().Count })}");
