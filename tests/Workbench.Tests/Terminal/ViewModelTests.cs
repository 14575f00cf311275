using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Workbench.Terminal.Lessons;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

public sealed class LessonViewModelTests
{
    private TerminalFixture fixture = null!;

    [SetUp]
    public void SetUp() => fixture = new TerminalFixture();

    [TearDown]
    public void TearDown() => fixture.Dispose();

    private LessonViewModel Open(string id) =>
        new(Lesson.Open(fixture.Catalog.CurriculumFolder, Path.Combine(fixture.Catalog.CurriculumFolder, id + ".md")), fixture.Catalog.CurriculumFolder, fixture.Catalog.LabsFolder);

    [Test]
    public void Should_Hide_Review_Answers_Until_Asked_For_And_Hide_Them_Again()
    {
        var lesson = Open("review-questions");
        Assert.That(lesson.Answers, Is.GreaterThan(3));
        Assert.That(lesson.Text, Does.Not.Contain("<details>"));
        Assert.That(lesson.Text, Does.Not.Contain("An emulator interprets or translates every instruction"));
        Assert.That(lesson.Text, Does.Contain("[▸ Show the answer](#answer-1)"));
        Assert.That(lesson.Follow("#answer-1"), Is.Null, "an answer link changes the page in place");
        Assert.That(lesson.Text, Does.Contain("An emulator interprets or translates every instruction"));
        Assert.That(lesson.Text, Does.Not.Contain("A privileged instruction traps when executed in user mode"), "only the first answer");
        lesson.Follow("#answer-1");
        Assert.That(lesson.Text, Does.Not.Contain("An emulator interprets or translates every instruction"));
    }

    [Test]
    public void Should_Follow_Links_To_Lessons_And_Labs()
    {
        var lesson = Open("01-machine");
        Assert.That(lesson.Follow("05-full-virtualization.md")!.Kind, Is.EqualTo(LinkKind.Lesson));
        Assert.That(lesson.Follow("../labs/01-machine/lab.md") is { Kind: LinkKind.Lab, Path: "01-machine" });
        Assert.That(lesson.Follow("#what-you-will-learn") is { Kind: LinkKind.Anchor, Anchor: "what-you-will-learn" });
        Assert.That(lesson.Follow("https://example.org")!.Kind, Is.EqualTo(LinkKind.Outside));
        Assert.That(lesson.Message, Does.Contain("open it outside the workbench"));
    }
}

public sealed class LabViewModelTests
{
    private TerminalFixture fixture = null!;

    [SetUp]
    public void SetUp() => fixture = new TerminalFixture();

    [TearDown]
    public void TearDown() => fixture.Dispose();

    private LabDocument Lab => fixture.Catalog.Find("01");

    [Test]
    public void Should_Grade_The_Exercise_And_Record_The_Score()
    {
        var lab = fixture.Catalog.Find("06");
        var model = new LabViewModel(lab, fixture.Store);
        var outcome = model.RunGrade();
        Assert.That(fixture.Store.Load(TextWriter.Null).For(lab.Id).Exercises, Is.Empty, "grading records nothing until its outcome is taken");
        model.Graded(outcome);
        Assert.That(model.Message, Does.StartWith("exercise Lab06.PageTables: 0/12"));
        Assert.That(model.Grade!.Report, Has.Some.StartsWith("score: 0/12"));
        var saved = fixture.Store.Load(TextWriter.Null).For(lab.Id).Exercises["Lab06.PageTables"];
        Assert.That((saved.Score, saved.MaxScore), Is.EqualTo((0.0, 12.0)));
        Assert.That(model.StepMarkdown(), Does.Contain("**Exercise Lab06.PageTables:** 0/12"));
    }

    [Test]
    public void Should_Pass_A_Step_Once_Its_Question_Is_Answered_And_Keep_It()
    {
        var model = new LabViewModel(Lab, fixture.Store);
        Assert.That(model.Step.Number, Is.EqualTo(1));
        var first = model.Check();
        Assert.That(first.Passed, Is.False);
        Assert.That(model.StateOf(model.Step), Is.EqualTo(StepState.Failed));
        Assert.That(first.Checks.Single(c => !c.Passed).Message, Does.Contain("not answered yet"));

        model.Answer("3");
        var second = model.Check();
        Assert.That(second.Passed, Is.True, string.Join("; ", second.Checks.Select(c => c.Message)));
        Assert.That(model.Message, Does.Contain("step 1 passes"));

        var reloaded = fixture.Store.Load(TextWriter.Null);
        Assert.That(reloaded.Labs["01-machine"].StepsDone, Does.Contain(1));
        Assert.That(reloaded.Labs["01-machine"].Answers["first-instructions"], Is.EqualTo("3"));
        Assert.That(reloaded.LastLab, Is.EqualTo("01-machine"));
        Assert.That(new LabViewModel(Lab, fixture.Store).Step.Number, Is.EqualTo(2), "opens at the first step not passed");
    }

    [Test]
    public void Should_Refuse_An_Empty_Answer()
    {
        var model = new LabViewModel(Lab, fixture.Store);
        model.Answer("   ");
        Assert.That(model.Message, Does.StartWith("no answer recorded"));
        Assert.That(fixture.Store.Load(TextWriter.Null).For("01-machine").Answers, Is.Empty);
    }

    [Test]
    public void Should_Open_Hints_One_By_One_And_Remember_Them()
    {
        var model = new LabViewModel(Lab, fixture.Store, step: 2);
        Assert.That(model.HintsSeen, Is.Zero);
        Assert.That(model.StepMarkdown(), Does.Not.Contain("Hint 1"));
        model.NextHint();
        Assert.That(model.HintsSeen, Is.EqualTo(1));
        Assert.That(model.StepMarkdown(), Does.Contain("**Hint 1 of " + model.Step.Hints.Count + ":**"));
        Assert.That(new LabViewModel(Lab, fixture.Store, step: 2).HintsSeen, Is.EqualTo(1));
    }

    [Test]
    public void Should_Show_The_Students_Own_Numbers_And_Not_The_Scripts()
    {
        var model = new LabViewModel(Lab, fixture.Store, step: 2);
        var question = model.Step.Questions.Single(q => q.Id == "frame-sp");
        var text = model.StepMarkdown();
        Assert.That(text, Does.Contain(QuestionParameters.Prompt(model.Session.Seed, "01-machine", question)[..40]));
        Assert.That(text, Does.Not.Contain("{ksp}"));
        Assert.That(text, Does.Not.Contain("expect("), "scripts hold the answers");
        Assert.That(text, Does.Not.Contain("```hint"), "hints are asked for");
        Assert.That(text, Does.Contain("```asm"), "the step's program is shown");
    }

    [Test]
    public void Should_Start_The_Work_Folder_See_Changes_And_Reset_A_File()
    {
        var model = new LabViewModel(Lab, fixture.Store, step: 6);
        Assert.That(model.WorkFiles(), Is.Empty);
        var folder = Path.Combine(fixture.Home, "work");
        model.Start(folder);
        Assert.That(model.WorkFolder, Is.EqualTo(folder));
        Assert.That(model.WorkFiles().Select(f => f.Name), Does.Contain("ring3.s").And.Contain("first.s"));
        Assert.That(model.WorkFiles().Where(f => f.Changed), Is.Empty);
        var ring3 = Path.Combine(folder, "ring3.s");
        File.Copy(Path.Combine(Lab.Folder, "Solution", "work", "ring3.s"), ring3, overwrite: true);
        Assert.That(model.WorkFiles().Single(f => f.Changed).Name, Is.EqualTo("ring3.s"));
        var passed = model.RunCheck(model.Step);
        model.Checked(passed);
        Assert.That(passed.Passed, Is.True, model.Message);
        model.Reset("ring3.s");
        Assert.That(model.WorkFiles().Where(f => f.Changed), Is.Empty);
        Assert.That(File.ReadAllText(ring3), Is.EqualTo(File.ReadAllText(Path.Combine(Lab.Folder, "starter", "ring3.s"))));
    }

    [Test]
    public void Should_Record_Nothing_When_A_Check_Is_Cancelled()
    {
        var model = new LabViewModel(Lab, fixture.Store);
        model.Answer("3");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() => model.RunCheck(model.Step, cancel.Token));
        Assert.That(fixture.Store.Load(TextWriter.Null).For("01-machine").StepsDone, Is.Empty);
        Assert.That(model.StateOf(model.Step), Is.EqualTo(StepState.Open));
    }
}

public sealed class HomeViewModelTests
{
    [Test]
    public void Should_List_Labs_With_Progress_Lessons_And_Continue()
    {
        using var fixture = new TerminalFixture();
        var home = new HomeViewModel(fixture.Catalog, fixture.Store);
        Assert.That(home.Items.Any(i => i.Kind == HomeItemKind.Continue), Is.False);
        Assert.That(home.Items.Single(i => i.Id == "01-machine" && i.Kind == HomeItemKind.Lab).Detail, Does.StartWith("0/6 steps"));
        Assert.That(home.Items.Where(i => i.Kind == HomeItemKind.Lesson).Select(i => i.Label).First(), Does.Contain("Fundamentals"));

        fixture.Store.Update(progress =>
        {
            progress.For("01-machine").StepsDone.UnionWith([1, 2]);
            progress.LastLab = "01-machine";
        }, TextWriter.Null);
        home.Refresh();
        var resume = home.Items[0];
        Assert.That(resume.Kind, Is.EqualTo(HomeItemKind.Continue));
        Assert.That(home.Rows[0], Does.StartWith("continue").And.Contains("step 3"));
        Assert.That(resume.Step, Is.EqualTo(3));
        Assert.That(home.Items.Single(i => i.Id == "01-machine" && i.Kind == HomeItemKind.Lab).Detail, Does.StartWith("2/6 steps"));
    }
}
