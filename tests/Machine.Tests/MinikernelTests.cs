using System.Security.Cryptography;
using VirtualizationWorkbench.Machine.Snapshots;

namespace VirtualizationWorkbench.Machine.Tests;

/// <summary>The guest kernel the labs boot: its output, determinism and snapshots.</summary>
public class MinikernelTests
{
    private const string ExpectedOutput = """
        minikernel: booting in ring 0
        minikernel: interrupt table and paging on
        minikernel: timer running
        minikernel: starting 2 tasks
        task 1: step 1
        task 2: step 1
        task 2: step 2
        task 1: step 2
        task 2: step 3
        minikernel: task 2 exited with code 42
        task 1: step 3
        minikernel: task 1 exited with code 41
        minikernel: all tasks finished

        """;

    [Test]
    public void Boots_Runs_Two_Preempted_Tasks_And_Halts()
    {
        var computer = TestMachine.BootMinikernel();
        var exit = computer.Run(10_000_000);
        var core = computer.Cores[0];
        Assert.Multiple(() =>
        {
            Assert.That(exit.Reason, Is.EqualTo(ExitReason.Halt));
            Assert.That(computer.Console.PendingText, Is.EqualTo(ExpectedOutput.ReplaceLineEndings("\n")));
            Assert.That(core.Counters.Traps[0x80], Is.EqualTo(13), "getpid, three writes and a yield or exit per task");
            Assert.That(core.Counters.Traps[32], Is.GreaterThanOrEqualTo(1), "the timer preempted task 2");
            Assert.That(core.State.Cpl, Is.EqualTo(0));
        });
    }

    [Test]
    public void Kills_A_Task_That_Runs_A_Privileged_Instruction()
    {
        var computer = TestMachine.BootMinikernel("FAULTY_TASK");
        Assert.That(computer.Run(10_000_000).Reason, Is.EqualTo(ExitReason.Halt));
        var text = computer.Console.PendingText;
        Assert.That(text, Does.Contain("minikernel: task 2 killed by exception 13 at pc 0x"));
        Assert.That(text, Does.Contain("minikernel: task 1 exited with code 41"));
        Assert.That(text, Does.EndWith("minikernel: all tasks finished\n"));
    }

    [Test]
    public void Two_Runs_Give_Identical_Counters_And_Memory()
    {
        var first = Fingerprint(TestMachine.BootMinikernel());
        var second = Fingerprint(TestMachine.BootMinikernel());
        Assert.That(second, Is.EqualTo(first));
    }

    private static string Fingerprint(Computer computer)
    {
        computer.Run(10_000_000);
        var counters = string.Join(",", computer.Cores[0].Counters.Describe().Select(p => $"{p.Key}={p.Value}"));
        return counters + "|" + Convert.ToHexString(SHA256.HashData(computer.Memory.Bytes));
    }

    [Test]
    public void A_Snapshot_Taken_Mid_Run_Resumes_To_The_Same_End()
    {
        var original = TestMachine.BootMinikernel();
        Assert.That(original.Run(20_000).Reason, Is.EqualTo(ExitReason.BudgetSpent));
        var path = Path.Combine(Path.GetTempPath(), $"minikernel-{Guid.NewGuid():N}.snap");
        try
        {
            MachineSnapshot.Save(original, path);
            var copy = MachineSnapshot.Load(path);
            var outputBefore = original.Console.PendingText;
            Assert.That(copy.Console.PendingText, Is.EqualTo(outputBefore));
            Assert.That(copy.Cores[0].Counters.Instructions, Is.EqualTo(original.Cores[0].Counters.Instructions));
            original.Run(10_000_000);
            copy.Run(10_000_000);
            Assert.That(copy.Console.PendingText, Is.EqualTo(original.Console.PendingText));
            Assert.That(Fingerprint(copy), Is.EqualTo(Fingerprint(original)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_Damaged_Snapshot_Is_Reported_Not_Loaded()
    {
        var bytes = MachineSnapshot.Capture(TestMachine.BootMinikernel());
        Assert.That(() => MachineSnapshot.Load(new MemoryStream(bytes[..(bytes.Length / 2)])), Throws.TypeOf<FormatException>().With.Message.Contains("truncated or damaged"));
        Assert.That(() => MachineSnapshot.Load(new MemoryStream("not a snapshot"u8.ToArray())), Throws.TypeOf<FormatException>().With.Message.Contains("not a machine snapshot"));
    }
}
