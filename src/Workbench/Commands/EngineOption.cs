using System.CommandLine;
using VirtualizationWorkbench.Machine.Cpu;

namespace VirtualizationWorkbench.Workbench.Commands;

/// <summary><c>--engine interpreter|translator</c>: how the machine core runs guest code. Both engines give the
/// same results and counters; the translator is faster on hot code.</summary>
internal static class EngineOption
{
    public static Option<string> Create() => new("--engine")
    {
        Description = "How the core runs guest code: translator (hot blocks compiled to host code, after a warm-up on the interpreter) or interpreter (the reference); same results and counters",
        DefaultValueFactory = _ => "translator",
    };

    /// <summary>The engine <paramref name="name"/> names, or a user error saying which exist.</summary>
    public static ExecutionEngine Parse(string name) => name switch
    {
        "interpreter" => ExecutionEngine.Interpreter,
        "translator" => ExecutionEngine.Translator,
        _ => throw new UserError($"--engine: no engine '{name}'; choose interpreter or translator"),
    };
}
