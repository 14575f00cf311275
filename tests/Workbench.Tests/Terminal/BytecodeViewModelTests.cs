using VirtualizationWorkbench.Bytecode.Host;
using VirtualizationWorkbench.Labs.Scripting;
using VirtualizationWorkbench.Workbench.Terminal.Screens;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

/// <summary>Lab 04's stepping view, without a terminal: the source line, operand stack and frames as the student
/// steps, and the same end as a plain run; and the step whose checks compiled the program opens it.</summary>
public sealed class BytecodeViewModelTests
{
    private static readonly string Squares = Path.Combine(WorkbenchProcess.RepositoryRoot, "labs", "04-application-virtualization", "Solution", "work", "squares.wl");

    private string folder = null!;

    [SetUp]
    public void SetUp() => folder = Directory.CreateTempSubdirectory("vwb-bytecode-view-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(folder, recursive: true);

    [Test]
    public void Should_Show_The_Line_Stack_And_Frames_When_Stepping_Into_A_Call()
    {
        var model = new BytecodeViewModel(SteppedProgram.FromFile(Squares));
        Assert.That(model.Source[model.CurrentSourceRow].Text.Trim(), Is.EqualTo("var n = 20;"));
        model.Step();
        Assert.That(model.Stack, Is.EqualTo(new[] { "20" }));

        while (!model.Source[model.CurrentSourceRow].Text.Contains("print(sumsq(a))", StringComparison.Ordinal)) model.StepOver();
        Assert.That(model.Frames.Single().Locals, Is.EqualTo(new[] { "n = 20", "a = #1 int[20]", "i = 20" }), "the loop filled the array and ended");
        Assert.That(model.Heap(3).Single(), Is.EqualTo("#1 int[20] = 1 2 3 …"));
        model.Step();   // aload a
        Assert.That(model.Stack, Is.EqualTo(new[] { "#1 int[20]" }));
        model.Step();   // call sumsq
        Assert.That(model.Frames.Select(f => f.Where), Is.EqualTo(new[] { "sumsq at 0x0000, line 8", "main at 0x0037, line 25" }));
        Assert.That(model.Frames[0].Locals, Is.EqualTo(new[] { "a = #1 int[20]", "sum = 0", "i = 0" }));
        Assert.That(model.Frames[1].Stack, Is.Empty, "the argument moved into sumsq's locals");
        Assert.That(model.Source.Where(r => r.Mark != SourceMark.None).Select(r => (r.Number, r.Mark)),
            Is.EqualTo(new[] { (8, SourceMark.Current), (25, SourceMark.Caller) }));
        Assert.That(model.Code(4).Single(c => c.IsCurrent).Text, Does.StartWith("0x0000").And.EndWith("push 0"));

        model.StepOut();
        Assert.That(model.Stack, Is.EqualTo(new[] { "2870" }));
        Assert.That(model.Status, Does.StartWith("paused in main at 0x0039, line 25;"));
    }

    [Test]
    public void Should_End_As_The_Host_Vm_Ends_When_Run_In_Slices()
    {
        var program = SteppedProgram.FromFile(Squares);
        var plain = new HostVm(program.Module).Run();
        var model = new BytecodeViewModel(program);
        model.Step();
        model.ToggleRun();
        var ticks = 0;
        while (model.Advance()) ticks++;

        var end = model.Session.Outcome();
        Assert.That((end.Text, end.Result, end.Steps, end.Error), Is.EqualTo((plain.Text, plain.Result, plain.Steps, plain.Error)));
        Assert.That(model.OutputTail(5), Is.EqualTo(new[] { "2870" }));
        Assert.That(model.Status, Is.EqualTo($"finished: main returned 0 after {plain.Steps:N0} steps"));
        Assert.That((model.Running, ticks, model.Frames.Count, model.CurrentSourceRow), Is.EqualTo((false, 1, 0, -1)));
        model.Restart();
        Assert.That((model.Session.Steps, model.OutputTail(5).Count, model.Source[model.CurrentSourceRow].Number), Is.EqualTo((0L, 0, 18)));
    }

    [Test]
    public void Should_Open_A_Module_With_The_Source_Its_Debug_Section_Names_And_Refuse_What_Does_Not_Load()
    {
        var source = Path.Combine(folder, "squares.wl");
        File.Copy(Squares, source);
        var vbc = Path.Combine(folder, "squares.vbc");
        // As `workbench bytecode compile` writes it: the debug section names the source as given.
        File.WriteAllBytes(vbc, Bytecode.Compiler.WlCompiler.Compile(File.ReadAllText(source), source).ToBytes());
        var program = SteppedProgram.FromFile(vbc);
        Assert.That((program.Name, program.Source.Count, program.Module.Functions[0].LocalNames.Count), Is.EqualTo(("squares.vbc", 27, 3)));

        File.Delete(source);
        Assert.That(SteppedProgram.FromFile(vbc).Source, Is.Empty, "no source: the screen shows the bytecode alone");
        var bad = Path.Combine(folder, "bad.wl");
        File.WriteAllText(bad, "fn main() {\n    retrun 0;\n}\n");
        Assert.That(() => SteppedProgram.FromFile(bad), Throws.TypeOf<UserError>().With.Message.Contains("bad.wl:2:"));
        File.WriteAllBytes(vbc, [.. File.ReadAllBytes(vbc).Take(20)]);
        Assert.That(() => SteppedProgram.FromFile(vbc), Throws.TypeOf<UserError>().With.Message.StartsWith(vbc + ": "));
    }

    [Test]
    public void Should_Open_The_Program_A_Lab_04_Step_Compiled()
    {
        using var fixture = new TerminalFixture();
        var model = new LabViewModel(fixture.Catalog.Find("04"), fixture.Store, step: 1);
        var work = Path.Combine(fixture.Home, "work");
        model.Start(work);
        File.Copy(Squares, Path.Combine(work, "squares.wl"), overwrite: true);
        var (result, made) = model.RunCheckAndKeep(model.Step);

        Assert.That(made, Has.Count.EqualTo(1).And.All.InstanceOf<ScriptBytecode>(), result.Error);
        Assert.That(LabViews.Describe(made[0]), Does.StartWith("bytecode: squares.wl, 2 functions, "));
        var screen = (BytecodeScreen)LabViews.For(made[0], "step 1's checks")!;
        Assert.That(screen.Heading, Is.EqualTo("Application VM: squares.wl, from step 1's checks"));
        screen.Model.RunToEnd();
        Assert.That(screen.Model.OutputTail(1), Is.EqualTo(new[] { "2870" }), "what the step's check expects");
    }
}
