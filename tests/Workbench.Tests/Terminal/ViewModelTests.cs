using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Workbench.Terminal.Input;
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
    public void Should_Scroll_Within_The_Text()
    {
        var lesson = Open("01-machine");
        var laid = lesson.Layout(70, 20);
        Assert.That(lesson.Top, Is.Zero);
        lesson.Scroll(UiKey.Down);
        Assert.That(lesson.Top, Is.EqualTo(1));
        lesson.Scroll(UiKey.PageDown);
        Assert.That(lesson.Top, Is.EqualTo(19));
        lesson.Scroll(UiKey.End);
        Assert.That(lesson.Top, Is.EqualTo(laid.Lines.Count - 20));
        lesson.Scroll(UiKey.Down);
        Assert.That(lesson.Top, Is.EqualTo(laid.Lines.Count - 20), "the end stays the end");
        lesson.Scroll(UiKey.Home);
        Assert.That(lesson.Top, Is.Zero);
        lesson.Scroll(UiKey.Up);
        Assert.That(lesson.Top, Is.Zero);
    }

    [Test]
    public void Should_Find_Matches_And_Bring_Them_Into_View()
    {
        var lesson = Open("01-machine");
        var laid = lesson.Layout(70, 10);
        lesson.Search("TLB");
        var expected = laid.Lines.Select((l, i) => (l, i)).Where(x => x.l.Plain.Contains("TLB", StringComparison.OrdinalIgnoreCase)).Select(x => x.i).ToList();
        Assert.That(expected, Is.Not.Empty);
        Assert.That(lesson.Matches, Is.EqualTo(expected));
        Assert.That(lesson.CurrentMatch, Is.Zero);
        Assert.That(expected[0], Is.InRange(lesson.Top, lesson.Top + 9));
        for (var i = 1; i < expected.Count; i++) lesson.NextMatch();
        Assert.That(expected[^1], Is.InRange(lesson.Top, lesson.Top + 9));
        lesson.NextMatch();
        Assert.That(lesson.CurrentMatch, Is.Zero, "wraps around");
        lesson.Search("no such words anywhere");
        Assert.That(lesson.Message, Does.Contain("is not in this lesson"));
    }

    [Test]
    public void Should_Follow_Links_To_Lessons_And_Labs()
    {
        var lesson = Open("01-machine");
        var laid = lesson.Layout(70, 20);
        var kinds = new List<LinkTarget>();
        for (var i = 0; i < laid.Links.Count; i++)
        {
            lesson.NextLink();
            kinds.Add(lesson.Follow()!);
        }
        Assert.That(kinds.Where(k => k.Kind == LinkKind.Lesson).Select(k => Path.GetFileName(k.Path)), Does.Contain("05-full-virtualization.md"));
        Assert.That(kinds.Where(k => k.Kind == LinkKind.Lab).Select(k => k.Path), Does.Contain("01-machine"));
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
        Assert.That(model.GradeExercise(), Is.True);
        Assert.That(model.Message, Does.StartWith("exercise Lab06.PageTables: 0/12"));
        Assert.That(model.GradeLines, Has.Some.StartsWith("score: 0/12"));
        var saved = fixture.Store.Load(TextWriter.Null).For(lab.Id).Exercises["Lab06.PageTables"];
        Assert.That((saved.Score, saved.MaxScore), Is.EqualTo((0.0, 12.0)));
        Assert.That(model.Extras(80).Select(l => l.Plain), Has.Some.Contains("Exercise Lab06.PageTables: 0/12"));
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
        Assert.That(model.Extras(60).Select(l => l.Plain), Has.None.Contains("Hint 1"));
        model.NextHint();
        Assert.That(model.HintsSeen, Is.EqualTo(1));
        Assert.That(string.Join('\n', model.Extras(60).Select(l => l.Plain)), Does.Contain("Hint 1/" + model.Step.Hints.Count));
        Assert.That(new LabViewModel(Lab, fixture.Store, step: 2).HintsSeen, Is.EqualTo(1));
    }

    [Test]
    public void Should_Show_The_Students_Own_Numbers_And_Not_The_Scripts()
    {
        var model = new LabViewModel(Lab, fixture.Store, step: 2);
        var question = model.Step.Questions.Single(q => q.Id == "frame-sp");
        var text = string.Join('\n', model.StepText(70).Lines.Concat(model.Extras(70)).Select(l => l.Plain));
        Assert.That(text, Does.Contain(QuestionParameters.Prompt(model.Session.Seed, "01-machine", question)[..40]));
        Assert.That(text, Does.Not.Contain("{ksp}"));
        Assert.That(text, Does.Not.Contain("expect("), "scripts hold the answers");
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
        Assert.That(resume.Step, Is.EqualTo(3));
        Assert.That(home.Items.Single(i => i.Id == "01-machine" && i.Kind == HomeItemKind.Lab).Detail, Does.StartWith("2/6 steps"));
    }
}
