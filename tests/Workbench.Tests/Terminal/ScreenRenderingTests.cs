using VirtualizationWorkbench.Workbench.Terminal;
using VirtualizationWorkbench.Workbench.Terminal.Input;
using VirtualizationWorkbench.Workbench.Terminal.Lessons;
using VirtualizationWorkbench.Workbench.Terminal.Screens;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

public sealed class ScreenRenderingTests
{
    private TerminalFixture fixture = null!;

    [SetUp]
    public void SetUp() => fixture = new TerminalFixture();

    [TearDown]
    public void TearDown() => fixture.Dispose();

    private IEnumerable<IScreen> EveryScreen()
    {
        var lab = fixture.Catalog.Find("01");
        yield return new HomeScreen(fixture.Context);
        yield return new LessonScreen(fixture.Context, Lesson.Open(fixture.Catalog.CurriculumFolder, Path.Combine(fixture.Catalog.CurriculumFolder, "01-machine.md")));
        yield return new LabScreen(fixture.Context, lab, null);
        yield return new InspectorScreen(Workbench.Terminal.ViewModels.InspectedProgram.FromLab(lab, lab.FindAssembly("rings")!));
    }

    [TestCase(80, 24)]
    [TestCase(100, 30)]
    [TestCase(160, 50)]
    public void Should_Fill_Exactly_The_Window_With_Title_And_Key_Bars(int width, int height)
    {
        foreach (var screen in EveryScreen())
        {
            var frame = TerminalFixture.Frame(screen, width, height);
            Assert.That(frame, Has.Length.EqualTo(height), screen.Title);
            Assert.That(frame.Select(l => l.Length), Has.All.EqualTo(width), screen.Title);
            Assert.That(frame[0], Does.Contain(screen.Title[..Math.Min(20, screen.Title.Length)]));
            Assert.That(frame[^1], Does.StartWith("? help · "));
            screen.Close();
        }
    }

    [Test]
    public void Should_Show_Lab_Steps_With_Their_State()
    {
        var screen = new LabScreen(fixture.Context, fixture.Catalog.Find("01"), null);
        Assert.That(TerminalFixture.Frame(screen), Has.Some.StartsWith("· 1. Run a program"));
        screen.Handle(KeyInput.Of('c'));
        var frame = TerminalFixture.Frame(screen, 100, 40);
        Assert.That(frame, Has.Some.StartsWith("✗ 1. Run a program"));
        Assert.That(frame, Has.Some.Contains("✓ ok   the program halts"));
        Assert.That(frame[^2], Does.StartWith("step 1 fails: 2 of 3 checks hold"));
    }

    [Test]
    public void Should_Show_The_Prompt_In_The_Message_Line()
    {
        var screen = new LessonScreen(fixture.Context, Lesson.Open(fixture.Catalog.CurriculumFolder, Path.Combine(fixture.Catalog.CurriculumFolder, "01-machine.md")));
        screen.Handle(KeyInput.Of('/'));
        foreach (var c in "ring") screen.Handle(KeyInput.Of(c));
        var frame = TerminalFixture.Frame(screen);
        Assert.That(frame[^2], Does.StartWith("search: ring"));
        Assert.That(frame[^1], Does.StartWith("Enter accept · Esc cancel"));
        screen.Handle(new KeyInput(UiKey.Enter));
        Assert.That(TerminalFixture.Frame(screen)[^2], Does.StartWith("match 1 of "));
    }

    [Test]
    public void Should_Open_Help_Go_Back_And_Quit_On_Ctrl_C()
    {
        var app = new TerminalApp(new HomeScreen(fixture.Context));
        app.Handle(new KeyInput(UiKey.Enter));
        Assert.That(app.Current, Is.TypeOf<LabScreen>());
        app.Handle(KeyInput.Of('?'));
        Assert.That(app.Current, Is.TypeOf<HelpScreen>());
        Assert.That(TerminalFixture.Frame(app.Current), Has.Some.Contains("check step"));
        app.Handle(KeyInput.Of('q'));
        Assert.That(app.Current, Is.TypeOf<LabScreen>());
        app.Handle(KeyInput.Of('j'));
        Assert.That(((LabScreen)app.Current).Model.Step.Number, Is.EqualTo(2), "j moves down, vi style");
        app.Handle(new KeyInput(UiKey.Escape));
        Assert.That(app.Current, Is.TypeOf<HomeScreen>());
        app.Handle(new KeyInput(UiKey.Interrupt));
        Assert.That(app.Open, Is.False);
    }

    [Test]
    public void Should_Translate_Terminal_Keys()
    {
        Assert.That(KeyInput.From(new ConsoleKeyInfo('\x03', ConsoleKey.C, false, false, true)).Key, Is.EqualTo(UiKey.Interrupt));
        Assert.That(KeyInput.From(new ConsoleKeyInfo('\0', ConsoleKey.DownArrow, false, false, false)).Movement, Is.EqualTo(UiKey.Down));
        Assert.That(KeyInput.From(new ConsoleKeyInfo('k', ConsoleKey.K, false, false, false)).Movement, Is.EqualTo(UiKey.Up));
        Assert.That(KeyInput.From(new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false)).Key, Is.EqualTo(UiKey.Enter));
        Assert.That(KeyInput.From(new ConsoleKeyInfo('\x1b', ConsoleKey.Escape, false, false, false)).IsBack, Is.True);
        Assert.That(KeyInput.Of('q').IsBack, Is.True);
    }
}
