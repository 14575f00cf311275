using System.CommandLine;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Labs.Progress;
using VirtualizationWorkbench.Workbench.Terminal.Screens;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal;

/// <summary>The commands that open the terminal UI: <c>workbench</c> alone (home), <c>workbench inspect FILE</c>
/// (the machine inspector on a program).</summary>
internal static class TerminalCommands
{
    /// <summary>Opens the home screen (what <c>workbench</c> with no command does).</summary>
    public static int OpenHome(string? labsFolder = null)
    {
        RequireTerminal();
        var context = new TerminalContext(LabCatalog.Locate(labsFolder), ProgressStore.Default);
        return new TerminalApp(new HomeScreen(context)).Run();
    }

    public static Command Inspect()
    {
        var file = new Argument<string>("program") { Description = "An assembly source (.s) or a program image (.bin)" };
        var command = new Command("inspect", "Open the machine inspector on a program: step, run, breakpoints, registers, memory, page tables, trace") { file };
        command.SetAction(parse =>
        {
            // The program is read first, so a bad file is reported on the plain terminal, not inside the UI.
            var program = InspectedProgram.FromFile(parse.GetValue(file)!);
            RequireTerminal();
            return new TerminalApp(new InspectorScreen(program)).Run();
        });
        return command;
    }


    private static void RequireTerminal()
    {
        if (TerminalApp.WhyNotInteractive() is { } why) throw new UserError($"{why}; {TerminalApp.PlainCommands}");
    }
}
