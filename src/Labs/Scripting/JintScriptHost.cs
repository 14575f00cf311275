using System.Globalization;
using System.Text.RegularExpressions;
using Jint;
using Jint.Runtime;

namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// Lab scripts on Jint 4.18 (ECMAScript 2023 and later: <c>let</c>, <c>const</c>, arrow functions, template
/// strings, classes, destructuring), locked down for labs from someone else's course.
/// </summary>
/// <remarks>
/// <para>The sandbox: scripts see the JavaScript built-ins and the lab API of <see cref="JsFacade"/>, built by
/// hand as plain JavaScript objects, and nothing else. CLR interop is off (no <c>System</c>,
/// <c>importNamespace</c> or <c>clrHelper</c>), no .NET object is exposed to reflect on, code cannot be compiled
/// from strings (<c>eval</c>, <c>Function</c>, <c>ShadowRealm</c>), modules and <c>Atomics.wait</c> are off,
/// and the only files scripts can read are those of <see cref="ScriptFiles"/>; nothing writes or starts
/// anything on the host.</para>
/// <para>The limits (<see cref="ScriptLimits"/>): statements, memory and time are charged before every
/// statement by <see cref="BudgetConstraint"/>; Jint's own built-ins call it inside long loops, host calls
/// look at the same deadline between slices of a machine run, and a regular expression has its own timeout.
/// Recursion is bounded by depth and, as a backstop, by the stack left, and the parser refuses nesting deeper
/// than the stack holds, so no script can overflow the process's stack.</para>
/// </remarks>
public sealed class JintScriptHost : ILabScriptHost
{
    private readonly Engine engine;
    private readonly ScriptBudget budget;

    /// <summary>A host with the default limits.</summary>
    public JintScriptHost()
        : this(ScriptLimits.Default)
    {
    }

    /// <summary>A host with these limits (tests use small ones).</summary>
    public JintScriptHost(ScriptLimits limits)
    {
        budget = new ScriptBudget(limits);
        engine = new Engine(options =>
        {
            options.Culture(CultureInfo.InvariantCulture);
            options.LocalTimeZone(TimeZoneInfo.Utc);
            // No .NET: these are Jint 4's defaults, set here so that the sandbox does not rest on a default.
            options.Interop.Enabled = false;
            options.Interop.AllowGetType = false;
            options.Interop.AllowSystemReflection = false;
            options.Interop.AllowOperatorOverloading = false;
            options.Interop.AllowWrite = false;
            options.Interop.ExposeDetailedResolutionErrors = false;
            options.DisableStringCompilation();
            // Atomics.wait could block the thread forever, out of every constraint's reach.
            options.AgentCanSuspend = false;
            options.LimitRecursion(limits.RecursionDepth);
            options.Constraints.StackOverflowGuard = true;
            options.Constraints.RegexTimeout = limits.RegexTime;
            options.Constraints.MaxArraySize = limits.MaxArrayLength;
            options.Constraint(new BudgetConstraint(budget));
        });
    }

    /// <inheritdoc/>
    public void Bind(LabScriptGlobals globals)
    {
        var facade = new JsFacade(engine);
        engine.SetValue("lab", facade.Lab(new LabApi(globals.Lab, globals.Work, budget, globals.Made)));
        foreach (var (name, function) in facade.Functions(globals))
        {
            engine.SetValue(name, function);
        }
    }

    /// <inheritdoc/>
    public void Execute(ScriptBlock script, string labFile, CancellationToken cancellation = default)
    {
        budget.Begin(cancellation);
        try
        {
            engine.Execute(script.Code, labFile);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new OperationCanceledException("the check was cancelled", cancellation);
        }
        catch (Exception e)
        {
            throw new LabScriptException(labFile, LineOf(e, script), Describe(e));
        }
        finally
        {
            budget.End();
        }
    }

    /// <summary>The line of lab.md a failure is on: where Jint says the failing statement or call is, else
    /// the block's first line.</summary>
    private static int LineOf(Exception e, ScriptBlock script) =>
        JintException.TryGetJavaScriptLocation(e, out var location) && location.Start.Line > 0
            ? script.Line + location.Start.Line - 1
            : script.Line;

    /// <summary>What went wrong and what to do about it.</summary>
    private string Describe(Exception e) => e switch
    {
        ScriptLimitException limit => limit.Message,
        ScriptFailure failure => failure.Message,
        JavaScriptException js => Explain(WithoutPosition(js.Message)),
        RecursionDepthOverflowException recursion =>
            $"functions called each other more than {budget.Limits.RecursionDepth} deep ({Shorten(recursion.CallChain)}); does a function call itself without end?",
        InsufficientExecutionStackException or ScriptPreparationException =>
            "the script nests too deeply (brackets, blocks or functions inside each other hundreds of times over); write it flatter",
        RegexMatchTimeoutException =>
            $"a regular expression took longer than {ScriptBudget.Seconds(budget.Limits.RegexTime)} (it backtracks catastrophically, e.g. (a+)+); simplify it",
        OutOfMemoryException => "the script ran out of memory; does it build ever larger strings or arrays?",
        // Jint's own limits (an array longer than ScriptLimits.MaxArrayLength, …) and whatever else it refuses.
        JintException jint => Explain(jint.Message),
        // The lab API's own refusals: arguments it cannot use, a guest the machine refuses, a file it cannot read.
        InvalidOperationException or ArgumentException or FormatException or IndexOutOfRangeException or IOException
            or VirtualizationWorkbench.Machine.Assembler.AssemblyException => Explain(e.Message),
        // Anything else is a bug of the workbench or of Jint that a script found. It still ends in this step's
        // error rather than taking the whole check down (a hostile lab fails alone), named as a bug.
        _ => $"the workbench failed running this script ({e.GetType().Name}: {e.Message}); this is a bug of the workbench, please report it",
    };

    // Names a script may try in order to reach .NET, each with what to say instead of "is not defined".
    private static readonly string[] ClrNames = ["System", "importNamespace", "clrHelper", "require", "process", "GetType", "Assembly", "Reflection", "Activator"];

    /// <summary>Jint's message, with a pointer to the API when a script reached for something the sandbox does
    /// not have.</summary>
    private static string Explain(string message)
    {
        if (message.Contains("String compilation has been disabled", StringComparison.Ordinal))
        {
            return "a lab script may not compile code from text (eval, Function, ShadowRealm); write the code in the script";
        }
        if (message.Contains("Module loading has been disabled", StringComparison.Ordinal))
        {
            return "a lab script may not import modules; everything it can use is in the lab API (curriculum/authoring.md)";
        }
        foreach (var name in ClrNames)
        {
            if (Regex.IsMatch(message, $@"\b{name}\b"))
            {
                return $"{message}: a lab script may not use '{name}' or anything else of .NET (CLR); it sees JavaScript and the lab API of curriculum/authoring.md only";
            }
        }
        if (message.EndsWith(" is not a function", StringComparison.Ordinal) || message.Contains("of undefined", StringComparison.Ordinal))
        {
            return $"{message} (the lab API's members are listed in curriculum/authoring.md)";
        }
        return message;
    }

    // Jint ends parse errors with the position, e.g. "Unexpected token ';' (test/lab.md:2:10)", counted from the
    // block's first line; the error already names the right line of lab.md.
    private static string WithoutPosition(string message) => Regex.Replace(message, @"\s*\([^()]*:\d+:\d+\)$", "");

    private static string Shorten(string callChain) => callChain.Length <= 80 ? callChain : callChain[..80] + "…";
}

/// <summary>Charges <see cref="ScriptBudget"/> before every statement. Not amortizable: it counts statements,
/// and memory can grow without bound between two checks.</summary>
internal sealed class BudgetConstraint(ScriptBudget budget) : Constraint
{
    /// <inheritdoc/>
    public override bool IsAmortizable => false;

    /// <inheritdoc/>
    public override void Check() => budget.ChargeStatement();

    /// <inheritdoc/>
    // The budget is reset per block by the host (ScriptBudget.Begin), not per engine entry: a host call that
    // calls back into the script must not refund the block's statements or time.
    public override void Reset()
    {
    }
}
