using System.CommandLine;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Labs.Progress;
using VirtualizationWorkbench.Workbench.Terminal.Screens;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal;

/// <summary>The commands that open the terminal UI: <c>workbench</c> alone (home), <c>workbench inspect FILE</c>
/// (the machine inspector on a program; the application VM's stepper on a <c>.wl</c> or <c>.vbc</c> program).</summary>
internal static class TerminalCommands
{
    /// <summary>The plain commands that do what the screens do, for when there is no terminal.</summary>
    public const string PlainCommands =
        "use the plain commands instead: 'workbench lab list', 'workbench lab show LAB', 'workbench lab check LAB', " +
        "'workbench lab answer LAB QUESTION VALUE', 'workbench run FILE.s', 'workbench app inspect FILE.vapp', 'workbench --help' for the rest";

    /// <summary>Opens the home screen (what <c>workbench</c> with no command does).</summary>
    public static int OpenHome(string? labsFolder = null)
    {
        RequireTerminal();
        var context = new TerminalContext(LabCatalog.Locate(labsFolder), ProgressStore.Default);
        return TerminalSession.Run(() => new HomeScreen(context));
    }

    public static Command Inspect()
    {
        var file = new Argument<string>("program") { Description = "An assembly source (.s) or a program image (.bin); or a workbench-language source (.wl) or bytecode module (.vbc) for the application VM" };
        var defines = new Option<string[]>("--define", "-D") { Description = "Define a symbol for conditional assembly (-D PARAVIRT); repeatable" };
        var monitor = new Option<string?>("--monitor", "-m") { Description = "Run the program as a guest under a monitor (as vm run does): " + string.Join(", ", Machine.Virtualization.MonitorCatalog.Names) };
        var command = new Command("inspect", "Open the machine inspector on a program: step, run, breakpoints, registers, memory, page tables, trace; under a monitor (-m) its statistics. A .wl or .vbc program opens in the application VM's stepper: source, operand stack, frames") { file, defines, monitor };
        command.SetAction(parse =>
        {
            if (SteppedProgram.Handles(parse.GetValue(file)!))
            {
                if (parse.GetValue(monitor) is not null || parse.GetValue(defines) is { Length: > 0 })
                {
                    throw new UserError($"{parse.GetValue(file)}: -m and -D are for machine programs (.s, .bin); a bytecode program runs on the application VM");
                }
                var stepped = SteppedProgram.FromFile(parse.GetValue(file)!);
                RequireTerminal();
                return TerminalSession.Run(() => new BytecodeScreen(new BytecodeViewModel(stepped)));
            }
            // The program is read first, so a bad file is reported on the plain terminal, not inside the UI.
            var program = InspectedProgram.FromFile(parse.GetValue(file)!, parse.GetValue(defines) ?? []);
            var under = parse.GetValue(monitor);
            if (under is not null && !Machine.Virtualization.MonitorCatalog.Names.Contains(under))
            {
                throw new UserError($"--monitor: no monitor '{under}'; choose from {string.Join(", ", Machine.Virtualization.MonitorCatalog.Names)}");
            }
            RequireTerminal();
            return TerminalSession.Run(() => InspectorScreen.For(new InspectorRequest(program, under)));
        });
        return command;
    }

    /// <summary>Why the UI cannot draw here, or null if it can: it needs a terminal on both ends.</summary>
    public static string? WhyNotInteractive()
    {
        if (Console.IsOutputRedirected) return "the terminal UI needs a terminal, but the output goes to a file or a pipe";
        if (Console.IsInputRedirected) return "the terminal UI needs a terminal, but the input comes from a file or a pipe";
        return null;
    }

    /// <summary>Fails with what to do instead when the UI cannot draw here.</summary>
    internal static void RequireTerminal()
    {
        if (WhyNotInteractive() is { } why) throw new UserError($"{why}; {PlainCommands}");
    }
}
