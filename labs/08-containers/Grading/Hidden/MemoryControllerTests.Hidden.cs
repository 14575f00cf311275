using NUnit.Framework;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Labs.MemoryLimits.Grading;

/// <summary>The hidden checks of <see cref="MemoryControllerTests"/>: graded, never shown in detail, and kept out of
/// the student kit and the installed tool (Grading/Hidden/ is the instructor's).</summary>
public sealed partial class MemoryControllerTests
{
    [Test]
    [Property("Points", 2)]
    [Property("Hint", "Between tasks of the same size the youngest (highest pid) goes.")]
    [Property("Visibility", "hidden")]
    public void Ties_Go_To_The_Youngest()
    {
        var each = Inputs.Next(10, 100);
        var memory = Controller(each * 2 + 1);
        var (older, younger) = (Inputs.Next(100, 200), Inputs.Next(300, 400));
        memory.AddTask(older, "a");
        memory.AddTask(younger, "a");
        memory.AddTask(999, "a");
        memory.Charge(older, each, fileBacked: false);
        memory.Charge(younger, each, fileBacked: false);
        Observe.That(Seen(memory.Charge(999, 2, fileBacked: false)), Is.EqualTo((ChargeEnd.Charged, 2L, 0L, younger.ToString())));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "memory.events max counts every page whose charge met the limit; reclaim of several pages is several events.")]
    [Property("Visibility", "hidden")]
    public void Events_Count_Every_Page_That_Met_The_Limit()
    {
        var max = Inputs.Next(100, 300);
        var clean = Inputs.Next(20, 50);
        var memory = Controller(max);
        memory.AddTask(1, "a");
        memory.AddTask(2, "a");
        memory.Charge(1, clean, fileBacked: true);
        memory.Charge(2, max - clean, fileBacked: false);
        var result = memory.Charge(2, clean + 1, fileBacked: false);
        Observe.That(Seen(result), Is.EqualTo((ChargeEnd.TaskKilled, (long)clean, (long)clean, "2")));
        Observe.That(memory.Events("a"), Is.EqualTo(new MemoryEvents(clean + 1, 1, 1)));
        Observe.That(Seen(memory.Charge(2, 1, fileBacked: false)), Is.EqualTo((ChargeEnd.TaskKilled, 0L, 0L, "")), "a dead task is charged nothing");
    }
}
