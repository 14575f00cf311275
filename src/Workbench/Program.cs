using System.CommandLine;
using VirtualizationWorkbench.Workbench;
using VirtualizationWorkbench.Workbench.Commands;
using VirtualizationWorkbench.Packager.Running;

// Before anything can use a culture: a packaged application gets the globalization it would have on its own.
if (args.Length >= 2 && args[0] == "app" && args[1] == "run")
{
    ApplicationGlobalization.UseApplicationDefault();
}

// `app run` skips building the parser when the line is a plain one: see AppRunShortcut.
if (AppRunShortcut.TryParse(args) is { } appRun)
{
    return UserError.Guard(() => PackagerCommands.RunPackage(appRun.Package, appRun.Entry, appRun.Arguments, appRun.Sandbox));
}

var root = new RootCommand("The Virtualization Workbench: guided labs on a simulated machine, and a portable application packager.");
foreach (var command in CommandCatalog.For(args))
{
    root.Add(command);
}

// With no command, open the terminal UI (it explains itself and names the plain commands when there is no terminal).
root.SetAction(_ => VirtualizationWorkbench.Workbench.Terminal.TerminalCommands.OpenHome());

// The default handler prints stack traces; user mistakes must read as one clear line instead.
var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
return UserError.Guard(() => root.Parse(args).Invoke(invocation));
