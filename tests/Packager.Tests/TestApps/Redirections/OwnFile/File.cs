// The application's own System.IO.File, with members of the same names and signatures as the framework's
// redirected ones. It keeps its "files" in memory and never touches the disk.
using System.Collections.Generic;

namespace System.IO
{
    public static class File
    {
        private static readonly Dictionary<string, string> Contents = new Dictionary<string, string>();

        public static void WriteAllText(string path, string? contents) => Contents[path] = contents ?? "";

        public static string ReadAllText(string path) =>
            Contents.TryGetValue(path, out var text) ? $"own File.ReadAllText: {text}" : "own File.ReadAllText: <nothing written>";

        public static bool Exists(string? path) => path is not null && Contents.ContainsKey(path);
    }
}
