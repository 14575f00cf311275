namespace VirtualizationWorkbench.Sandbox.Paths;

/// <summary>ThinApp's folder macros (<c>%AppData%</c>, <c>%ProgramFilesDir%</c>, …) mapped to this platform's
/// folders, and the reverse: which macro a host path falls under. Packages store files by macro so that a
/// package built on one machine lands in the right folders on another.</summary>
public sealed class FolderMacros
{
    /// <summary>The macro that covers everything no other macro does: the filesystem root on Unix.</summary>
    public const string RootMacro = "%Drive_Root%";

    // Longest host folder first, so that ~/.config/App resolves to %AppData% rather than %Profile%.
    private readonly (string Macro, string HostFolder)[] _byLongestFolder;
    private readonly Dictionary<string, string> _hostFolderByMacro;

    /// <summary>How paths compare on this platform: case-insensitive on Windows, exact elsewhere.</summary>
    public static StringComparison PathComparison { get; } =
        OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>The comparer matching <see cref="PathComparison"/>.</summary>
    public static StringComparer PathComparer { get; } =
        OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>Creates the table from explicit host folders (tests use this to aim every macro at a temporary
    /// folder). Macros with an empty folder are not available on this platform.</summary>
    public FolderMacros(IReadOnlyDictionary<string, string> hostFolderByMacro)
    {
        _hostFolderByMacro = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (macro, folder) in hostFolderByMacro)
        {
            if (!string.IsNullOrEmpty(folder))
            {
                _hostFolderByMacro[macro] = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
            }
        }
        // Ties (on Linux %Personal% and %Profile% are both the home folder) go to the order of the table, so
        // every host path has exactly one location: a stable insertion sort, longest folder first. (A plain loop
        // rather than LINQ over tuples, whose JIT compilation cost every package start about 10 ms.)
        _byLongestFolder = new (string, string)[_hostFolderByMacro.Count];
        var count = 0;
        foreach (var (macro, folder) in _hostFolderByMacro)
        {
            var slot = count++;
            while (slot > 0 && _byLongestFolder[slot - 1].HostFolder.Length < folder.Length)
            {
                _byLongestFolder[slot] = _byLongestFolder[slot - 1];
                slot--;
            }
            _byLongestFolder[slot] = (macro, folder);
        }
    }

    /// <summary>The macros of this machine, read from the environment as it is now.</summary>
    public static FolderMacros ForThisMachine() => new(DefaultHostFolders());

    /// <summary>Every macro this platform maps, in ThinApp's spelling.</summary>
    public IEnumerable<string> Names => _hostFolderByMacro.Keys;

    /// <summary>The host folder of a macro, or null when the macro is unknown or has no folder on this platform.</summary>
    public string? HostFolder(string macro) => _hostFolderByMacro.TryGetValue(macro, out var folder) ? folder : null;

    /// <summary>The macro spelled as the table spells it (macros compare without case, as in ThinApp).</summary>
    public string? CanonicalName(string macro) =>
        _hostFolderByMacro.Keys.FirstOrDefault(name => string.Equals(name, macro, StringComparison.OrdinalIgnoreCase));

    /// <summary>The location of an absolute, normalized host path.</summary>
    public VirtualLocation Locate(string fullPath)
    {
        foreach (var (macro, folder) in _byLongestFolder)
        {
            if (IsUnder(fullPath, folder, out var relative))
            {
                return new VirtualLocation(macro, relative);
            }
        }
        throw new ArgumentException($"'{fullPath}' is not under any folder macro.", nameof(fullPath));
    }

    /// <summary>The host path of a location.</summary>
    public string HostPath(VirtualLocation location)
    {
        var folder = HostFolder(location.Macro)
            ?? throw new ArgumentException($"The folder macro {location.Macro} has no folder on this platform.", nameof(location));
        return location.Relative.Length == 0 ? folder : Path.Combine(folder, location.Relative.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>Whether <paramref name="fullPath"/> is <paramref name="folder"/> or below it; if so, the rest of the
    /// path with '/' separators.</summary>
    public static bool IsUnder(string fullPath, string folder, out string relative)
    {
        relative = "";
        var trimmed = Path.TrimEndingDirectorySeparator(folder);
        if (!fullPath.StartsWith(trimmed, PathComparison))
        {
            return false;
        }
        if (fullPath.Length == trimmed.Length)
        {
            return true;
        }
        // The root folder ("/") already ends in a separator; any other folder must be followed by one.
        var rest = trimmed.EndsWith(Path.DirectorySeparatorChar) ? fullPath[trimmed.Length..]
            : fullPath[trimmed.Length] == Path.DirectorySeparatorChar ? fullPath[(trimmed.Length + 1)..] : null;
        if (rest is null)
        {
            return false;
        }
        relative = Path.TrimEndingDirectorySeparator(rest).Replace(Path.DirectorySeparatorChar, '/');
        return true;
    }

    private static Dictionary<string, string> DefaultHostFolders()
    {
        static string Special(Environment.SpecialFolder folder) =>
            Environment.GetFolderPath(folder, Environment.SpecialFolderOption.DoNotVerify);

        var home = Special(Environment.SpecialFolder.UserProfile);
        var folders = new Dictionary<string, string>
        {
            ["%Profile%"] = home,
            ["%Personal%"] = Special(Environment.SpecialFolder.Personal),
            ["%AppData%"] = Special(Environment.SpecialFolder.ApplicationData),
            ["%Local AppData%"] = Special(Environment.SpecialFolder.LocalApplicationData),
            ["%Common AppData%"] = Special(Environment.SpecialFolder.CommonApplicationData),
            ["%Desktop%"] = Special(Environment.SpecialFolder.DesktopDirectory),
            ["%My Pictures%"] = Special(Environment.SpecialFolder.MyPictures),
            ["%My Music%"] = Special(Environment.SpecialFolder.MyMusic),
            ["%My Videos%"] = Special(Environment.SpecialFolder.MyVideos),
            ["%Templates%"] = Special(Environment.SpecialFolder.Templates),
            ["%Fonts%"] = Special(Environment.SpecialFolder.Fonts),
            ["%Temp%"] = Path.GetTempPath(),
        };
        if (OperatingSystem.IsWindows())
        {
            folders["%ProgramFilesDir%"] = Special(Environment.SpecialFolder.ProgramFiles);
            folders["%Program Files Common%"] = Special(Environment.SpecialFolder.CommonProgramFiles);
            folders["%SystemRoot%"] = Special(Environment.SpecialFolder.Windows);
            folders["%SystemSystem%"] = Special(Environment.SpecialFolder.System);
            folders["%Common Desktop%"] = Special(Environment.SpecialFolder.CommonDesktopDirectory);
            folders["%Common Documents%"] = Special(Environment.SpecialFolder.CommonDocuments);
            folders["%Start Menu%"] = Special(Environment.SpecialFolder.StartMenu);
            folders["%Programs%"] = Special(Environment.SpecialFolder.Programs);
            folders["%Startup%"] = Special(Environment.SpecialFolder.Startup);
            folders["%Favorites%"] = Special(Environment.SpecialFolder.Favorites);
            folders["%Recent%"] = Special(Environment.SpecialFolder.Recent);
            folders["%SendTo%"] = Special(Environment.SpecialFolder.SendTo);
            folders["%Cookies%"] = Special(Environment.SpecialFolder.Cookies);
            folders["%History%"] = Special(Environment.SpecialFolder.History);
            folders["%Internet Cache%"] = Special(Environment.SpecialFolder.InternetCache);
            folders[RootMacro] = Path.GetPathRoot(Special(Environment.SpecialFolder.Windows)) ?? @"C:\";
        }
        else
        {
            // .NET has no Program Files on Unix; /opt is where the Filesystem Hierarchy Standard puts add-on software.
            folders["%ProgramFilesDir%"] = "/opt";
            folders[RootMacro] = "/";
        }
        return folders;
    }
}
