using NUnit.Framework;
using VirtualizationWorkbench.Grading;

namespace VirtualizationWorkbench.Labs.MemoryLimits.Grading;

/// <summary>Grades <see cref="MemoryController"/> against cgroup v2's memory.max: charge, reclaim, then an OOM kill
/// inside the group only.</summary>
[TestFixture]
public sealed partial class MemoryControllerTests
{
    // Limits and sizes come from the grading run's seed (Inputs): a submission cannot know them in advance.
    private static MemoryController Controller(long? a, long? b = null) =>
        new(new Dictionary<string, long?> { ["a"] = a, ["b"] = b });

    // What a check observes of a charge: plain values, so the judge can compare them with the reference's.
    private static (ChargeEnd End, long Charged, long Reclaimed, string Killed) Seen(ChargeResult r) =>
        (r.End, r.Charged, r.Reclaimed, string.Join(",", r.Killed));

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "Below memory.max a charge just adds the pages to the task: memory.current grows by them, no event is counted.")]
    [Property("Visibility", "visible")]
    public void Charges_Below_The_Limit_Add_Up_In_Memory_Current()
    {
        var max = Inputs.Next(100, 1000);
        var (first, second) = (Inputs.Next(1, max / 2), Inputs.Next(1, max / 2));
        var memory = Controller(max);
        memory.AddTask(10, "a");
        memory.AddTask(11, "a");
        Observe.That(Seen(memory.Charge(10, first, fileBacked: false)), Is.EqualTo((ChargeEnd.Charged, (long)first, 0L, "")));
        Observe.That(Seen(memory.Charge(11, second, fileBacked: true)), Is.EqualTo((ChargeEnd.Charged, (long)second, 0L, "")));
        Observe.That(memory.Current("a"), Is.EqualTo(first + second));
        Observe.That(memory.Events("a"), Is.EqualTo(new MemoryEvents(0, 0, 0)));
    }

    [Test]
    [Property("Points", 1)]
    [Property("Hint", "A group whose memory.max is null (max) has no limit: nothing is ever reclaimed or killed.")]
    [Property("Visibility", "visible")]
    public void An_Unlimited_Group_Takes_Everything()
    {
        var pages = Inputs.Next(1000, 100_000);
        var memory = Controller(null);
        memory.AddTask(1, "a");
        Observe.That(Seen(memory.Charge(1, pages, fileBacked: false)), Is.EqualTo((ChargeEnd.Charged, (long)pages, 0L, "")));
        Observe.That(memory.Events("a"), Is.EqualTo(new MemoryEvents(0, 0, 0)));
    }

    [Test]
    [Property("Points", 3)]
    [Property("Hint", "At the limit, reclaim first: drop clean file pages of the group (lowest pid first). Only when there are none left does the OOM killer run.")]
    [Property("Visibility", "visible")]
    public void Reclaim_Comes_Before_The_Oom_Killer()
    {
        var max = Inputs.Next(50, 500);
        var clean = Inputs.Next(10, max / 2);
        var over = Inputs.Next(1, clean);
        var memory = Controller(max);
        memory.AddTask(5, "a");
        memory.AddTask(6, "a");
        memory.Charge(5, clean, fileBacked: true);
        memory.Charge(6, max - clean, fileBacked: false);
        Observe.That(Seen(memory.Charge(6, over, fileBacked: false)), Is.EqualTo((ChargeEnd.Charged, (long)over, (long)over, "")));
        Observe.That((memory.Task(5).CleanFilePages, memory.Current("a")), Is.EqualTo(((long)(clean - over), (long)max)));
        Observe.That(memory.Events("a"), Is.EqualTo(new MemoryEvents(over, 0, 0)));
    }

    [Test]
    [Property("Points", 3)]
    [Property("Hint", "With nothing to reclaim, kill the live task of the group that holds the most pages, and uncharge all it held.")]
    [Property("Visibility", "visible")]
    public void The_Oom_Killer_Kills_The_Largest_Task_Of_The_Group()
    {
        var max = Inputs.Next(100, 1000);
        var big = Inputs.Next(max / 2 + 1, max - 10);
        var memory = Controller(max);
        memory.AddTask(20, "a");
        memory.AddTask(21, "a");
        memory.AddTask(22, "a");
        memory.Charge(20, big, fileBacked: false);
        memory.Charge(21, max - big - 5, fileBacked: false);
        var asked = Inputs.Next(6, 10);
        Observe.That(Seen(memory.Charge(22, asked, fileBacked: false)), Is.EqualTo((ChargeEnd.Charged, (long)asked, 0L, "20")));
        Observe.That((memory.Task(20).Killed, memory.Task(20).ResidentPages, memory.Current("a")), Is.EqualTo((true, 0L, (long)(max - big - 5 + asked))));
        Observe.That(memory.Events("a"), Is.EqualTo(new MemoryEvents(1, 1, 1)));
    }

    [Test]
    [Property("Points", 3)]
    [Property("Hint", "The OOM killer of a group chooses only among that group's tasks: a bigger task in another group is none of its business.")]
    [Property("Visibility", "visible")]
    public void The_Oom_Killer_Never_Leaves_The_Group()
    {
        var max = Inputs.Next(20, 200);
        var huge = Inputs.Next(10_000, 100_000);
        var memory = Controller(max, null);
        memory.AddTask(1, "b");
        memory.AddTask(2, "a");
        memory.AddTask(3, "a");
        memory.Charge(1, huge, fileBacked: false);
        memory.Charge(2, max - 1, fileBacked: false);
        Observe.That(Seen(memory.Charge(3, 2, fileBacked: false)), Is.EqualTo((ChargeEnd.Charged, 2L, 0L, "2")));
        Observe.That((memory.Task(1).Killed, memory.Current("b")), Is.EqualTo((false, (long)huge)));
        Observe.That(memory.Events("b"), Is.EqualTo(new MemoryEvents(0, 0, 0)));
    }

    [Test]
    [Property("Points", 2)]
    [Property("Hint", "The charging task may be the largest: then it is the victim, and the rest of its charge is not made.")]
    [Property("Visibility", "visible")]
    public void The_Charging_Task_Can_Be_The_Victim()
    {
        var max = Inputs.Next(50, 500);
        var asked = Inputs.Next(max + 1, max * 3);
        var memory = Controller(max);
        memory.AddTask(7, "a");
        memory.AddTask(8, "a");
        memory.Charge(7, 3, fileBacked: false);
        Observe.That(Seen(memory.Charge(8, asked, fileBacked: false)), Is.EqualTo((ChargeEnd.TaskKilled, (long)(max - 3), 0L, "8")));
        Observe.That((memory.Task(7).Killed, memory.Current("a")), Is.EqualTo((false, 3L)));
    }
}
