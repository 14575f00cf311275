namespace VirtualizationWorkbench.Workbench.Commands;

/// <summary>The plain forms of <c>workbench app run PACKAGE [--entry NAME] [--sandbox DIR] [-- ARGS…]</c>,
/// recognised without building the command-line parser. A packaged application is meant to start about as fast
/// as the bare application, and building and running System.CommandLine's parser costs more JIT time (about
/// 35 ms) than the whole goal allows. Anything this does not recognise with certainty (help, a response file,
/// an unknown or repeated option, a missing value) is left to the real parser, so errors and help read the same
/// as for every other command; a test checks that both read every accepted line alike.</summary>
internal static class AppRunShortcut
{
    /// <summary>What the command line asks for.</summary>
    /// <param name="Package">The package file.</param>
    /// <param name="Entry">The entry point's name, or null for the first.</param>
    /// <param name="Sandbox">The sandbox folder, or null for the default.</param>
    /// <param name="Arguments">The application's arguments.</param>
    internal sealed record Request(string Package, string? Entry, string? Sandbox, string[] Arguments);

    /// <summary>The request, or null when the real parser must read the command line.</summary>
    public static Request? TryParse(string[] args)
    {
        if (args.Length < 3 || args[0] != "app" || args[1] != "run")
        {
            return null;
        }
        string? package = null, entry = null, sandbox = null;
        var arguments = new List<string>();
        for (var i = 2; i < args.Length; i++)
        {
            var token = args[i];
            if (token == "--")
            {
                for (i++; i < args.Length; i++)
                {
                    arguments.Add(args[i]);
                }
                break;
            }
            if (token == "--entry" || token == "--sandbox")
            {
                if (i + 1 >= args.Length || !IsPlainValue(args[i + 1]))
                {
                    return null;
                }
                ref var slot = ref token == "--entry" ? ref entry : ref sandbox;
                if (slot is not null)
                {
                    return null;
                }
                slot = args[++i];
            }
            else if (!IsPlainValue(token))
            {
                return null;
            }
            else if (package is null)
            {
                package = token;
            }
            else
            {
                arguments.Add(token);
            }
        }
        return package is null ? null : new Request(package, entry, sandbox, [.. arguments]);
    }

    // A token the parser could read as anything but a value (an option, a response file, an empty token, the
    // Windows-style help switches it also knows) is its to judge.
    private static bool IsPlainValue(string token) => token.Length > 0 && token[0] != '-' && token[0] != '@' && token is not "/?" and not "/h";
}
