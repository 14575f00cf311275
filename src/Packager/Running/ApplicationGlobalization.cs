namespace VirtualizationWorkbench.Packager.Running;

/// <summary>The globalization a packaged application runs with. The workbench is built for invariant
/// globalization, so that its own output reads the same on every machine; an application started with plain
/// <c>dotnet App.dll</c> gets the user's culture through ICU (number and date formats, linguistic sorting), unless
/// it was built for invariant globalization. A process chooses once, the first time anything uses a culture, so
/// <c>app run</c> calls <see cref="UseApplicationDefault"/> before anything has, and <see cref="UseInvariant"/>
/// once it knows the entry point wants that — which is also why the launcher's own start reads and writes no
/// culture-formatted text.</summary>
public static class ApplicationGlobalization
{
    /// <summary>Gives this process the globalization a .NET application has by default. Has no effect once a
    /// culture has been used.</summary>
    public static void UseApplicationDefault()
    {
        AppContext.SetSwitch("System.Globalization.Invariant", false);
        AppContext.SetSwitch("System.Globalization.PredefinedCulturesOnly", false);
    }

    /// <summary>Whether an application that wants invariant globalization was given it too late: the first start
    /// of a package opens it with the framework's zip reader, which uses a culture before the settings are read.
    /// The caller then starts the application in a fresh process (the next start needs none: it reads the
    /// extraction, which uses no culture).</summary>
    public static bool InvariantCameTooLate { get; private set; }

    /// <summary>Gives this process the globalization of an application built for invariant globalization. The
    /// switch decides only if no culture has been used yet (<see cref="InvariantCameTooLate"/> says when it
    /// had); the invariant culture as every thread's culture holds either way.</summary>
    public static void UseInvariant()
    {
        AppContext.SetSwitch("System.Globalization.Invariant", true);
        AppContext.SetSwitch("System.Globalization.PredefinedCulturesOnly", true);
        System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.DefaultThreadCurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
        // Invariant globalization compares ordinally ('a' after 'B'); the invariant culture of ICU does not.
        InvariantCameTooLate = string.Compare("a", "B", StringComparison.InvariantCulture) < 0;
    }
}
