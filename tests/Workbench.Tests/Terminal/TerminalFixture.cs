using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Labs.Progress;
using VirtualizationWorkbench.Workbench.Terminal.Screens;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

/// <summary>The repository's labs and lessons with progress in a fresh temporary folder,.</summary>
internal sealed class TerminalFixture : IDisposable
{
    public TerminalFixture()
    {
        Home = Directory.CreateTempSubdirectory("vwb-tui-").FullName;
        Store = new ProgressStore(Home);
        Catalog = LabCatalog.Locate(Path.Combine(WorkbenchProcess.RepositoryRoot, "labs"));
        Context = new TerminalContext(Catalog, Store);
    }

    public string Home { get; }
    public ProgressStore Store { get; }
    public LabCatalog Catalog { get; }
    public TerminalContext Context { get; }

    public void Dispose() => Directory.Delete(Home, recursive: true);
}
