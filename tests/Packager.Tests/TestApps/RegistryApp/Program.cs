using Microsoft.Win32;

// A test application that keeps its settings in the Windows registry, as many Windows programs do. On Linux
// the real Microsoft.Win32.Registry throws PlatformNotSupportedException; packaged, it gets the virtual one.
const string KeyPath = @"Software\VwbTests\RegistryApp";

switch (args.FirstOrDefault())
{
    case "set":
        using (var key = Registry.CurrentUser.CreateSubKey(KeyPath))
        {
            key.SetValue(args[1], args[2]);
            var runs = key.GetValue("Runs", 0) is int count ? count : 0;
            key.SetValue("Runs", runs + 1, RegistryValueKind.DWord);
            key.SetValue("Path", @"%HOME%\data", RegistryValueKind.ExpandString);
            key.SetValue("List", new[] { "one", "two" }, RegistryValueKind.MultiString);
            key.SetValue("Big", 1L << 40, RegistryValueKind.QWord);
            key.SetValue("Blob", new byte[] { 1, 2, 3 });
        }
        Console.WriteLine($"set {args[1]}");
        return 0;
    case "many":
        // Many small writes, one value each, as an application saving its settings one by one does.
        using (var key = Registry.CurrentUser.CreateSubKey(KeyPath + @"\Many"))
        {
            for (var i = 0; i < int.Parse(args[2]); i++)
            {
                key.SetValue($"{args[1]}-{i}", i, RegistryValueKind.DWord);
            }
        }
        Console.WriteLine($"wrote {args[2]}");
        return 0;
    case "count":
        using (var key = Registry.CurrentUser.OpenSubKey(KeyPath + @"\Many"))
        {
            Console.WriteLine(key?.GetValueNames().Length ?? 0);
        }
        return 0;
    case "get":
        using (var key = Registry.CurrentUser.OpenSubKey(KeyPath))
        {
            Console.WriteLine(key?.GetValue(args[1]) ?? "<missing>");
        }
        return 0;
    case "dump":
        using (var key = Registry.CurrentUser.OpenSubKey(KeyPath))
        {
            if (key is null)
            {
                Console.WriteLine("<no key>");
                return 0;
            }
            foreach (var name in key.GetValueNames().Order())
            {
                var value = key.GetValue(name, null, RegistryValueOptions.DoNotExpandEnvironmentNames);
                var text = value switch
                {
                    string[] lines => string.Join(",", lines),
                    byte[] bytes => Convert.ToHexString(bytes),
                    _ => value?.ToString(),
                };
                Console.WriteLine($"{name}={text} ({key.GetValueKind(name)})");
            }
        }
        return 0;
    case "vendor":
        Console.WriteLine(Registry.GetValue(@"HKEY_LOCAL_MACHINE\Software\Vendor\Product", "Edition", "<none>"));
        return 0;
    case "forget":
        Registry.CurrentUser.DeleteSubKeyTree(KeyPath, throwOnMissingSubKey: false);
        Console.WriteLine("forgotten");
        return 0;
    default:
        Console.Error.WriteLine("usage: RegistryApp set NAME VALUE | many PREFIX COUNT | count | get NAME | dump | vendor | forget");
        return 64;
}
