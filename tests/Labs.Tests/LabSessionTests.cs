using VirtualizationWorkbench.Labs.Progress;

namespace VirtualizationWorkbench.Labs.Tests;

/// <summary>The one service that keeps a student's work on a lab: answers, hints, checks, grades, the work folder.</summary>
public class LabSessionTests
{
    private const string Text = """
        ---
        id: 99-test
        title: A test lab
        topic: testing
        minutes: 5
        ---
        # A test lab

        ## Add

        ```asm name=sum
        li r1, 2
        addi r1, r1, 3
        hlt
        ```

        ```question id=sum
        prompt: What is in r1 when it halts?
        ```

        ```hint
        first
        ```

        ```hint
        second
        ```

        ```js
        const m = lab.machine().load("sum");
        m.run(100);
        solution("sum", m.reg(1));
        ```

        ## Nothing

        ```js
        check(true, "always");
        ```
        """;

    private string home = "";
    private LabDocument lab = null!;

    [SetUp]
    public void Open()
    {
        home = Directory.CreateTempSubdirectory("session-").FullName;
        lab = LabParser.Parse(Text, Path.Combine(home, "lab.md"));
    }

    [TearDown]
    public void Remove() => Directory.Delete(home, recursive: true);

    private LabSession Session() => new(lab, new ProgressStore(Path.Combine(home, "data")));

    [Test]
    public void Answers_Hints_And_Checks_Are_Recorded_For_The_Next_Session()
    {
        var session = Session();
        Assert.That(session.Check(lab.Steps[0]).Passed, Is.False);
        session.Answer("sum", " 5 ");
        Assert.That(session.OpenHint(lab.Steps[0]), Is.EqualTo(new[] { "first" }));
        Assert.That(session.Check(lab.Steps[0]).Passed, Is.True);

        var again = Session();
        Assert.That(again.AnswerTo(lab.FindQuestion("sum")!), Is.EqualTo("5"));
        Assert.That(again.HintsSeen(lab.Steps[0]), Is.EqualTo(1));
        Assert.That(again.OpenHint(lab.Steps[0]), Is.EqualTo(new[] { "first", "second" }));
        Assert.That(again.OpenHint(lab.Steps[0]), Is.EqualTo(new[] { "first", "second" }), "no third hint");
        Assert.That(again.Progress.StepsDone, Is.EqualTo(new[] { 1 }));
        Assert.That(again.NextStep.Number, Is.EqualTo(2));
        Assert.That(again.Progress.Answers.Keys, Is.EqualTo(new[] { "sum" }), "hints are not kept among the answers");
    }

    [Test]
    public void Mistakes_Are_Clear_Errors_That_Change_Nothing()
    {
        var session = Session();
        Assert.That(() => session.Answer("nope", "1"), Throws.TypeOf<LabError>().With.Message.Contains("no question 'nope'").And.Message.Contains("sum"));
        Assert.That(() => session.Answer("sum", "  "), Throws.TypeOf<LabError>());
        Assert.That(() => session.Step(9), Throws.TypeOf<LabError>().With.Message.EqualTo("lab 99-test has steps 1 to 2, not 9"));
        Assert.That(Path.Combine(home, "data", "progress.json"), Does.Not.Exist);
    }

    [Test]
    public void Done_Needs_Every_Step_And_The_Exercise_When_There_Is_One()
    {
        var session = Session();
        session.Answer("sum", "5");
        session.Check(lab.Steps);
        Assert.That(session.Done, Is.True, "no exercise: the steps are the lab");

        Directory.CreateDirectory(Path.Combine(home, "Exercise"));
        Assert.That(session.Done, Is.False, "the exercise is not graded yet");
        session.RecordGrade("Lab99", 3, 10);
        Assert.That(session.Done, Is.False, "not full marks");
        session.RecordGrade("Lab99", 10, 10);
        Assert.That(Session().Done, Is.True);
    }

    [Test]
    public void Start_Writes_The_Programs_Once_And_Never_Overwrites_The_Students_Files()
    {
        var work = Path.Combine(home, "work");
        var session = Session();
        Assert.That(session.Start(work), Is.EqualTo(new[] { "sum.s" }));
        File.WriteAllText(Path.Combine(work, "sum.s"), "; mine");
        Assert.That(Session().Start(work), Is.EqualTo(new[] { "sum.s (kept: it exists)" }));
        Assert.That(File.ReadAllText(Path.Combine(work, "sum.s")), Is.EqualTo("; mine"));
        Assert.That(Session().WorkDirectory, Is.EqualTo(work));

        var elsewhere = Directory.CreateDirectory(Path.Combine(home, "other")).FullName;
        File.WriteAllText(Path.Combine(elsewhere, "unrelated.txt"), "x");
        Assert.That(() => Session().Start(elsewhere), Throws.TypeOf<LabError>().With.Message.Contains("not empty"));
    }

    [Test]
    public void Start_Copies_No_File_A_Link_In_Starter_Points_To()
    {
        var starter = Directory.CreateDirectory(Path.Combine(home, "starter")).FullName;
        File.WriteAllText(Path.Combine(starter, "notes.txt"), "notes");
        var secret = Path.Combine(home, "secret.txt");
        File.WriteAllText(secret, "the student's private key");
        File.CreateSymbolicLink(Path.Combine(starter, "innocent.txt"), secret);
        var work = Path.Combine(home, "work");
        Assert.That(Session().Start(work), Is.EqualTo(new[] { "sum.s", "notes.txt" }));
        Assert.That(Path.Combine(work, "innocent.txt"), Does.Not.Exist);
    }
}
