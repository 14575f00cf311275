// A stand-in for a windowed application (an Avalonia or Uno app is built as WinExe too): it names the files it
// was asked to open, as a desktop launcher passes them.
Console.WriteLine($"windowed app opened {args.Length} file(s): {string.Join(", ", args)}");
