using VirtualizationWorkbench.Labs.Progress;

namespace VirtualizationWorkbench.Labs.Tests;

/// <summary>progress.json: every change merged under a lock, nothing lost to a concurrent writer, nulls and old
/// formats read, leftovers of a killed writer removed.</summary>
public class ProgressStoreTests
{
    private string folder = "";

    [SetUp]
    public void MakeFolder() => folder = Directory.CreateTempSubdirectory("progress-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(folder, recursive: true);

    private string File_ => Path.Combine(folder, "progress.json");

    [Test]
    public void Concurrent_Updates_Are_All_Kept()
    {
        // Each writer has its own store, as separate `workbench lab answer` processes do.
        const int writers = 9;
        const int each = 20;
        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            var store = new ProgressStore(folder);
            for (var i = 0; i < each; i++)
            {
                store.Update(p => p.For("01-machine").Answers[$"q{w}-{i}"] = $"{w * i}", TextWriter.Null);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.That(t.Join(TimeSpan.FromMinutes(2)), Is.True, "a writer hung"));
        var answers = new ProgressStore(folder).Load(TextWriter.Null).For("01-machine").Answers;
        Assert.That(answers, Has.Count.EqualTo(writers * each));
        Assert.That(Directory.EnumerateFiles(folder, ".~*"), Is.Empty, "temporary files left behind");
    }

    [TestCase("""{"seed": 5, "labs": null}""")]
    [TestCase("""{"seed": 5, "lastLab": "01-machine", "labs": {"01-machine": null}}""")]
    [TestCase("""{"seed": 5, "labs": {"01-machine": {"stepsDone": null, "answers": null, "exercises": null, "hintsSeen": null}}}""")]
    [TestCase("""{"seed": 5, "labs": {"01-machine": {"answers": {"q": null}, "exercises": {"Lab01": null}}}}""")]
    public void Nulls_In_A_Valid_File_Read_As_Empty(string json)
    {
        File.WriteAllText(File_, json);
        var warnings = new StringWriter();
        var progress = new ProgressStore(folder).Load(warnings);
        Assert.That(progress.Seed, Is.EqualTo(5));
        var lab = progress.For("01-machine");
        Assert.That((lab.StepsDone.Count, lab.Answers.Count, lab.Exercises.Count), Is.EqualTo((0, 0, 0)));
        Assert.That(warnings.ToString(), Is.Empty);
        // And it can be changed and written again.
        new ProgressStore(folder).Update(p => p.For("01-machine").StepsDone.Add(1), TextWriter.Null);
        Assert.That(new ProgressStore(folder).Load(TextWriter.Null).For("01-machine").StepsDone, Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void Version_One_Hint_Counts_Move_Out_Of_The_Answers()
    {
        File.WriteAllText(File_, """{"version": 1, "seed": 9, "labs": {"01-machine": {"answers": {"hints-3": "2", "traps": "13"}}}}""");
        var lab = new ProgressStore(folder).Load(TextWriter.Null).For("01-machine");
        Assert.That(lab.Answers, Is.EqualTo(new Dictionary<string, string> { ["traps"] = "13" }));
        Assert.That(lab.HintsSeen[3], Is.EqualTo(2));
    }

    [Test]
    public void An_Unreadable_File_Is_Kept_Aside_With_A_Warning()
    {
        File.WriteAllText(File_, "{ not json");
        var warnings = new StringWriter();
        var progress = new ProgressStore(folder).Load(warnings);
        Assert.That(progress.Seed, Is.Not.Zero);
        Assert.That(warnings.ToString(), Does.Contain("could not be read"));
        Assert.That(Directory.EnumerateFiles(folder, "progress.json.corrupt-*").Single(), Does.Exist);
    }

    [Test]
    public void A_Killed_Writers_Temporary_File_Is_Removed_By_The_Next_Write()
    {
        var leftover = Path.Combine(folder, ".~progress.json.0123456789abcdef0123456789abcdef.tmp");
        File.WriteAllText(leftover, "{ half a file");
        new ProgressStore(folder).Update(p => p.LastLab = "01-machine", TextWriter.Null);
        Assert.That(leftover, Does.Not.Exist);
        Assert.That(new ProgressStore(folder).Load(TextWriter.Null).LastLab, Is.EqualTo("01-machine"));
    }
}
