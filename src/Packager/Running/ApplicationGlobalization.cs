namespace VirtualizationWorkbench.Packager.Running;

/// <summary>The globalization a packaged application runs with. The workbench is built for invariant
/// globalization, so that its own output reads the same on every machine; an application started with plain
/// <c>dotnet App.dll</c> gets the user's culture through ICU (number and date formats, linguistic sorting). A
/// process chooses once, the first time anything uses a culture, so <c>app run</c> calls
/// <see cref="UseApplicationDefault"/> before anything has — which is also why the launcher's own start reads
/// and writes no culture-formatted text.</summary>
public static class ApplicationGlobalization
{
    /// <summary>Gives this process the globalization a .NET application has by default. Has no effect once a
    /// culture has been used.</summary>
    public static void UseApplicationDefault()
    {
        AppContext.SetSwitch("System.Globalization.Invariant", false);
        AppContext.SetSwitch("System.Globalization.PredefinedCulturesOnly", false);
    }
}
