using VirtualizationWorkbench.Emulation.Cpu;
using VirtualizationWorkbench.Emulation.Translation;

namespace VirtualizationWorkbench.Emulation;

/// <summary>Puts the chosen engine under a hart.</summary>
public static class Rv32Engines
{
    /// <summary>Makes <paramref name="hart"/> run with <paramref name="engine"/>.</summary>
    public static void Attach(Rv32Hart hart, Rv32Engine engine)
    {
        hart.Translator = null;
        hart.JavaScript = null;
        switch (engine)
        {
            case Rv32Engine.Translator:
                hart.Translator = new Rv32BlockTranslator(hart.Memory);
                break;
            case Rv32Engine.JavaScript:
                hart.JavaScript = new JavaScript.Rv32JavaScriptEngine(hart);
                break;
        }
    }

    /// <summary>Parses an engine name as the command line gives it.</summary>
    public static Rv32Engine? Parse(string name) => name.ToLowerInvariant() switch
    {
        "interpreter" => Rv32Engine.Interpreter,
        "translator" => Rv32Engine.Translator,
        "javascript" or "js" => Rv32Engine.JavaScript,
        _ => null,
    };
}
