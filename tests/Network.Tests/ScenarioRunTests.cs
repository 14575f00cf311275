using VirtualizationWorkbench.Network.Scenarios;

namespace VirtualizationWorkbench.Network.Tests;

public class ScenarioRunTests
{
    [Test]
    public void Telekom_Prints()
    {
        foreach (var name in BuiltInScenarios.Names)
        {
            var run = new ScenarioRun(BuiltInScenarios.Find(name)!, new ProgramFiles(null));
            var t = System.Diagnostics.Stopwatch.StartNew();
            run.RunToEnd();
            TestContext.Out.WriteLine(t.ElapsedMilliseconds + " ms\n" + ScenarioReport.Of(run).ToText());
        }
    }
}
