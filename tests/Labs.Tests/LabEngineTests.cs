using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Labs.Scripting;

namespace VirtualizationWorkbench.Labs.Tests;

/// <summary>The lab format and the checker, without a process.</summary>
public class LabEngineTests
{
    private static LabDocument Parse(string text) => LabParser.Parse(text, "test/lab.md");

    private const string Minimal = """
        ---
        id: 99-test
        title: A test lab
        topic: testing
        minutes: 5
        lessons: [01-machine]
        ---
        # A test lab

        Intro.

        ## Add two numbers

        ```asm name=sum
        li r1, 2
        addi r1, r1, 3
        hlt
        ```

        ```question id=sum
        kind: numeric
        prompt: What is in r1 when it halts?
        ```

        ```js
        var m = lab.machine().load("sum");
        m.run(100);
        expect(m.reg(1), 5, "r1 = 5");
        solution("sum", m.reg(1));
        ```
        """;

    private static StepResult Check(LabDocument lab, int step, Dictionary<string, string>? answers = null, string? work = null) =>
        new LabChecker(lab, new StudentWork(1234, answers ?? [], work)).CheckStep(lab.Steps[step - 1]);

    [Test]
    public void Parses_Front_Matter_Steps_And_Blocks()
    {
        var lab = Parse(Minimal);
        Assert.Multiple(() =>
        {
            Assert.That((lab.Id, lab.Title, lab.Minutes, lab.Topic), Is.EqualTo(("99-test", "A test lab", 5, "testing")));
            Assert.That(lab.Lessons, Is.EqualTo(new[] { "01-machine" }));
            Assert.That(lab.Steps, Has.Count.EqualTo(1));
            Assert.That(lab.Steps[0].Title, Is.EqualTo("Add two numbers"));
            Assert.That(lab.Steps[0].Assembly[0].Name, Is.EqualTo("sum"));
            Assert.That(lab.Steps[0].Questions[0].Id, Is.EqualTo("sum"));
            Assert.That(lab.Steps[0].Scripts[0].Line, Is.EqualTo(26));
        });
    }

    [Test]
    public void A_Right_Answer_Passes_And_A_Wrong_One_Fails()
    {
        var lab = Parse(Minimal);
        Assert.That(Check(lab, 1, new() { ["sum"] = "5" }).Passed, Is.True);
        var wrong = Check(lab, 1, new() { ["sum"] = "6" });
        Assert.That(wrong.Passed, Is.False);
        Assert.That(wrong.Checks.Last().Message, Does.Contain("'6' is not right"));
        var missing = Check(lab, 1);
        Assert.That(missing.Checks.Last().Message, Does.Contain("not answered yet").And.Contain("workbench lab answer 99-test sum"));
    }

    [Test]
    public void A_Failed_Expectation_Says_What_Was_Expected()
    {
        var lab = Parse(Minimal.Replace("expect(m.reg(1), 5", "expect(m.reg(1), 7"));
        var result = Check(lab, 1, new() { ["sum"] = "5" });
        Assert.That(result.Checks[0], Is.EqualTo(new CheckOutcome("r1 = 5: expected 7, got 5", false)));
    }

    [Test]
    public void Script_Errors_Point_At_The_Line_Of_Lab_Md()
    {
        var lab = Parse(Minimal.Replace("m.run(100);", "m.run(100);\nundefinedThing.call();"));
        var result = Check(lab, 1, new() { ["sum"] = "5" });
        Assert.That(result.Passed, Is.False);
        Assert.That(result.Error, Does.StartWith("test/lab.md:28: script error:").And.Contain("undefinedThing"));
        var syntax = Check(Parse(Minimal.Replace("m.run(100);", "m.run(100;")), 1);
        Assert.That(syntax.Error, Does.StartWith("test/lab.md:27: script error:"));
    }

    [Test]
    public void A_Script_That_Never_Ends_Is_Stopped()
    {
        var lab = Parse(Minimal.Replace("m.run(100);", "while (true) {}"));
        Assert.That(Check(lab, 1).Error, Does.Contain("more than").And.Contain("statements"));
    }

    [Test]
    public void An_Unperformed_Step_Fails_And_Says_What_To_Do()
    {
        var lab = Parse(Minimal.Replace("load(\"sum\")", "load(\"mine.s\")"));
        Assert.That(Check(lab, 1).Error, Does.Contain("step not done yet").And.Contain("workbench lab start 99-test"));
        var folder = Directory.CreateTempSubdirectory().FullName;
        try
        {
            Assert.That(Check(lab, 1, work: folder).Error, Does.Contain("mine.s does not exist"));
            File.WriteAllText(Path.Combine(folder, "mine.s"), "li r1, 5\nhlt\n");
            Assert.That(Check(lab, 1, new() { ["sum"] = "5" }, folder).Passed, Is.True);
            File.WriteAllText(Path.Combine(folder, "mine.s"), "li r1, 5\nhalt\n");
            Assert.That(Check(lab, 1, work: folder).Error, Does.Contain("does not assemble").And.Contain("mine.s:2:1: error: unknown instruction 'halt'"));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Test]
    public void Generated_Questions_Differ_By_Seed_And_Stay_For_One_Student()
    {
        var lab = Parse(Minimal.Replace("prompt: What is in r1 when it halts?", "prompt: What is {n} + {n}?\nparams:\n  n: [1, 1000000]"));
        var q = lab.Steps[0].Questions[0];
        var prompts = Enumerable.Range(1, 20).Select(seed => QuestionParameters.Prompt(seed, lab.Id, q)).ToList();
        Assert.That(prompts.Distinct().Count(), Is.GreaterThan(15));
        var once = QuestionParameters.Prompt(7, lab.Id, q);
        var again = QuestionParameters.Prompt(7, lab.Id, q);
        Assert.That(again, Is.EqualTo(once));
        var n = QuestionParameters.Value(7, lab.Id, q, "n");
        Assert.That(QuestionParameters.Prompt(7, lab.Id, q), Is.EqualTo($"What is {n} + {n}?"));
    }

    [TestCase("no front matter\n## Step\n", "test/lab.md:1:1: a lab starts with front matter")]
    [TestCase("---\nid: x\ntitle: y\n---\n## Step\n", "the front matter needs 'minutes:'")]
    [TestCase("---\nid: x\ntitle: y\nminutes: soon\n---\n## Step\n", "minutes must be a positive whole number")]
    [TestCase("---\nid: x\ntitle: y\nminutes: 5\n---\nno steps\n", "at least one step")]
    [TestCase("---\nid: x\ntitle: y\nminutes: 5\n---\n## S\n```question id=q\nkind: essay\nprompt: p\n```\n", "test/lab.md:8:1: question 'q': kind must be numeric, choice or text")]
    [TestCase("---\nid: x\ntitle: [y\nminutes: 5\n---\n## S\n", "test/lab.md:")]
    public void Format_Errors_Name_The_Place(string text, string expected)
    {
        Assert.That(() => Parse(text), Throws.TypeOf<LabFormatException>().With.Message.Contains(expected));
    }
}
