using Jint;
using Jint.Parser;
using Jint.Runtime;

namespace VirtualizationWorkbench.Cli.Labs.Scripting;

/// <summary>Lab scripts on Jint 2.10.4, with limits on statements, time and recursion so that a broken lab
/// cannot hang the workbench.</summary>
public sealed class JintScriptHost : ILabScriptHost
{
    /// <summary>Statements one script block may execute.</summary>
    public const int MaxStatements = 2_000_000;

    /// <summary>Wall-clock time one script block may take (machine runs inside it included).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly Engine engine = new(options => options
        .LimitRecursion(256)
        .MaxStatements(MaxStatements)
        .TimeoutInterval(Timeout)
        .Culture(System.Globalization.CultureInfo.InvariantCulture));

    /// <inheritdoc/>
    public void Define(string name, object value) => engine.SetValue(name, value);

    /// <inheritdoc/>
    public void Execute(ScriptBlock script, string labFile)
    {
        try
        {
            engine.Execute(script.Code);
        }
        catch (ParserException e)
        {
            throw new LabScriptException(labFile, script.Line + e.LineNumber - 1, e.Description);
        }
        catch (JavaScriptException e)
        {
            throw new LabScriptException(labFile, script.Line + Math.Max(e.LineNumber, 1) - 1, e.Message);
        }
        catch (StatementsCountOverflowException)
        {
            throw new LabScriptException(labFile, script.Line, $"the script ran more than {MaxStatements:N0} statements; does it loop forever?");
        }
        catch (RecursionDepthOverflowException e)
        {
            throw new LabScriptException(labFile, script.Line, $"recursion too deep ({e.CallChain})");
        }
        catch (TimeoutException)
        {
            throw new LabScriptException(labFile, script.Line, $"the script ran longer than {Timeout.TotalSeconds} seconds");
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            // A host function (lab.*, m.*) refused: Jint calls it by reflection and keeps no line for it, so
            // the error names the script block's first line; the message says what was wrong.
            throw new LabScriptException(labFile, script.Line, e.InnerException.Message);
        }
        catch (LabScriptException)
        {
            throw;
        }
        catch (ScriptFailure e)
        {
            throw new LabScriptException(labFile, script.Line, e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or IndexOutOfRangeException)
        {
            // A host function refused its arguments; Jint does not say which line called it.
            throw new LabScriptException(labFile, script.Line, e.Message);
        }
    }
}

/// <summary>Thrown by host functions for a mistake in how a script calls them.</summary>
public sealed class ScriptFailure(string message) : Exception(message);
