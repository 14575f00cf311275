using Markdig.Syntax;
using VirtualizationWorkbench.Labs.Markdown;

namespace VirtualizationWorkbench.Labs.Tests;

/// <summary>A lab from someone else's course is read as hostile input: each broken or malicious lab.md fails alone,
/// with a <c>lab.md:LINE</c> error, and never takes the process down or names a file outside its folder.</summary>
public class HostileLabTests
{
    private static string Lab(string id = "99-test", string front = "", string body = "") => $"""
        ---
        id: {id}
        title: A test lab
        topic: testing
        minutes: 5{front}
        ---
        # A test lab

        ## One step

        ```js
        check(true, "fine");
        ```
        {body}
        """;

    private static LabFormatException Refused(string text) =>
        Assert.Throws<LabFormatException>(() => LabParser.Parse(text, "test/lab.md"))!;

    [Test]
    public void A_Choice_That_Yaml_Reads_As_A_Key_And_Value_Is_Named_With_Its_Line()
    {
        var error = Refused(Lab(body: "\n```question id=layer\nkind: choice\nprompt: Which?\nchoices:\n  - plain\n  - the sandbox: its own write\nanswer: a\n```\n"));
        Assert.That(error.Message, Does.StartWith("test/lab.md:").And.Contain("choice 2 is not plain text").And.Contain("quotes"));
        Assert.That(error.Line, Is.EqualTo(20), "the line of the choice in lab.md");
    }

    [TestCase(">")]
    [TestCase("[")]
    public void Markdown_Nested_Fifty_Thousand_Deep_Is_Refused_Not_A_Stack_Overflow(string nesting)
    {
        var error = Refused(Lab(body: "\n" + new string(nesting[0], 50_000) + " deep\n"));
        Assert.That(error.Message, Does.StartWith("test/lab.md:").And.Contain("nests deeper"));
    }

    [TestCase("*", "")]
    [TestCase("`", "")]
    [TestCase("![", "](x)")]
    public void Runs_Of_Fifty_Thousand_Delimiters_Parse_Or_Are_Refused_Without_Crashing(string open, string close)
    {
        var text = Lab(body: "\n" + string.Concat(Enumerable.Repeat(open, 50_000)) + "x" + string.Concat(Enumerable.Repeat(close, 50_000)) + "\n");
        try
        {
            Assert.That(LabParser.Parse(text, "test/lab.md").Steps, Has.Count.EqualTo(1));
        }
        catch (LabFormatException e)
        {
            Assert.That(e.Message, Does.Contain("nests deeper"));
        }
    }

    [Test]
    public void A_List_Nested_Hundreds_Deep_Is_Refused()
    {
        var list = string.Concat(Enumerable.Range(0, 200).Select(i => new string(' ', 2 * i) + "- item\n"));
        Assert.That(Refused(Lab(body: "\n" + list)).Message, Does.Contain("nests deeper"));
    }

    [Test]
    public void Yaml_Nested_Fifty_Thousand_Deep_Is_Refused()
    {
        var error = Refused(Lab(front: "\nextra: " + new string('[', 50_000) + new string(']', 50_000)));
        Assert.That(error.Message, Does.Contain("nests deeper"));
    }

    [TestCase("[[1, 2], [3]]")]
    [TestCase("{a: 1}")]
    [TestCase("[1]")]
    [TestCase("[5, 1]")]
    [TestCase("[one, two]")]
    public void A_Parameter_That_Is_Not_A_Range_Names_The_Line(string range)
    {
        var error = Refused(Lab(body: $"\n```question id=q\nprompt: \"what is {{a}}\"\nparams:\n  a: {range}\n```\n"));
        Assert.That(error.Message, Does.Match(@"^test/lab\.md:\d+:\d+: question 'q': parameter a needs a range"));
    }

    [TestCase("../../tmp/evil")]
    [TestCase("/tmp/evil")]
    [TestCase("..")]
    [TestCase(".hidden")]
    [TestCase("a/b")]
    [TestCase("a\\\\b")]
    public void A_Lab_Id_That_Climbs_Out_Of_Its_Folder_Is_Refused(string id)
    {
        var error = Refused(Lab(id: $"\"{id}\""));
        Assert.That(error.Message, Does.StartWith("test/lab.md:2:").And.Contain("not a plain name"));
    }

    [TestCase("../../../../tmp/evil")]
    [TestCase("/etc/passwd")]
    [TestCase("sub/dir")]
    public void An_Assembly_Block_Name_That_Climbs_Out_Is_Refused(string name)
    {
        var error = Refused(Lab(body: $"\n```asm name={name}\nhlt\n```\n"));
        Assert.That(error.Message, Does.Match(@"^test/lab\.md:\d+:1: an asm block's name").And.Contain("not a plain name"));
    }

    [Test]
    public void Control_Characters_From_The_Lab_Are_Not_Echoed_To_The_Terminal()
    {
        var error = Refused(Lab(id: "\"a\\e]0;pwned\\a\\e[2J\""));
        Assert.That(error.Message, Does.Not.Contain("\u001b").And.Not.Contain("\u0007"));
        Assert.That(error.Message, Does.Contain("\\x1b"));
    }

    [Test]
    public void One_Broken_Lab_Fails_Alone_In_The_Catalog()
    {
        var folder = Directory.CreateTempSubdirectory("labs-hostile-").FullName;
        try
        {
            void Write(string id, string text)
            {
                Directory.CreateDirectory(Path.Combine(folder, id));
                File.WriteAllText(Path.Combine(folder, id, "lab.md"), text);
            }
            Write("01-good", Lab(id: "01-good"));
            Write("02-deep", Lab(id: "02-deep", body: "\n" + new string('>', 50_000)));
            Write("03-params", Lab(id: "03-params", body: "\n```question id=q\nprompt: x\nparams:\n  a: [[1]]\n```\n"));
            Write("04-climb", Lab(id: "../../climb"));
            Write("05-keys", Lab(id: "05-keys", front: "\n[a, b]: c"));
            var catalog = LabCatalog.Locate(folder);
            Assert.That(catalog.Labs.Select(l => l.Id), Is.EqualTo(new[] { "01-good" }));
            Assert.That(catalog.Errors, Has.Count.EqualTo(4));
            Assert.That(catalog.Errors.Select(e => e.Message), Has.All.Match(@"lab\.md:\d+:\d+: "));
            Assert.That(() => catalog.Find("02"), Throws.TypeOf<LabError>().With.Message.Contains("does not parse"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void The_One_Pipeline_Types_Every_Fence()
    {
        var document = LabMarkdown.Parse("```asm name=x\nhlt\n```\n\n```js\ncheck(true, 'x');\n```\n\n```hint\nh\n```\n\n```question id=q\nprompt: p\n```\n\n```text\ndiagram\n```\n");
        var kinds = document.Descendants<LabFence>().Select(f => (f.Kind, f.ShownAsWritten)).ToList();
        Assert.That(kinds, Is.EqualTo(new[]
        {
            (LabBlockKind.Assembly, true), (LabBlockKind.Script, false), (LabBlockKind.Hint, false),
            (LabBlockKind.Question, false), (LabBlockKind.Code, true),
        }));
    }

    [Test]
    public void Lab_Show_Text_Leaves_Out_Scripts_Hints_And_Question_Yaml_And_Keeps_Code()
    {
        var lab = LabParser.Parse(Lab(body: "\n```asm name=prog\nhlt\n```\n\n```hint\nthe secret hint\n```\n\n```question id=q\nprompt: How many?\nanswer: 42\n```\n\n```text\na diagram\n```\n"), "test/lab.md");
        var text = LabText.Render(lab, seed: 7);
        Assert.That(text, Does.Contain("hlt").And.Contain("a diagram").And.Contain("How many?"));
        Assert.That(text, Does.Not.Contain("check(true").And.Not.Contain("the secret hint").And.Not.Contain("answer: 42"));
    }

    [Test]
    public void A_Lab_File_Larger_Than_The_Limit_Is_Refused_Before_It_Is_Read()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("labs-large-").FullName, "lab.md");
        try
        {
            File.WriteAllText(file, Lab() + new string('x', LabParser.MaximumLength));
            Assert.That(() => LabParser.Load(file), Throws.TypeOf<LabFormatException>().With.Message.Contains("at most 1,024 KiB"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Test]
    public void Check_Messages_And_Script_Errors_Reach_The_Terminal_Escaped()
    {
        var lab = LabParser.Parse(Lab(body: "\n```js\ncheck(false, '\\u001b]0;pwned\\u0007 cleared\\u001b[2J');\nthrow new Error('\\u001b[31mred');\n```\n"), "test/lab.md");
        var result = new LabChecker(lab, new StudentWork(1, new Dictionary<string, string>(), null)).CheckStep(lab.Steps[0]);
        var shown = string.Join("\n", result.Checks.Select(c => c.Message).Append(result.Error ?? ""));
        Assert.That(result.Error, Is.Not.Null);
        Assert.That(shown, Does.Not.Contain("\u001b").And.Not.Contain("\u0007"));
        Assert.That(shown, Does.Contain("\\x1b]0;pwned\\x07 cleared").And.Contain("\\x1b[31mred"));
    }
}
