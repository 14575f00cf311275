using VirtualizationWorkbench.Bytecode.Compiler;

namespace VirtualizationWorkbench.Bytecode.Tests;

/// <summary>Sources that do not compile get the assembler's kind of error: file:line:column, the line, a hint.</summary>
public class CompilerTests
{
    [TestCase("fn main() {\n    var x = 1;\n    x = y + 2;\n}\n", 3, 9, "unknown variable 'y'")]
    [TestCase("fn main() {\n    var a = array(3);\n    a = 4;\n}\n", 3, 9, "'a' holds an array; the value is an integer")]
    [TestCase("fn main() {\n    print(1)\n}\n", 3, 1, "expected ';' after the statement, found '}'")]
    [TestCase("fn main() {\n    var s = \"abc;\n}\n", 2, 13, "unterminated string")]
    [TestCase("fn main() {\n    prnt(1);\n}\n", 2, 5, "unknown function 'prnt'")]
    [TestCase("fn f(a[]) { return 0; }\nfn main() {\n    f(1);\n}\n", 3, 7, "argument 1 of 'f' must be an array, not an integer")]
    [TestCase("fn main() {\n    var x = 1 + array(2);\n}\n", 2, 17, "'+' works on integers, not an array")]
    [TestCase("fn main() {\n    var x = 0;\n    var x = 1;\n}\n", 3, 9, "'x' is already declared here")]
    [TestCase("fn main() {\n    var c = 'ab';\n}\n", 2, 13, "a character literal holds exactly one character")]
    [TestCase("fn helper() { return 1; }\n", 1, 1, "the program has no function 'main'")]
    [TestCase("fn main() {\n    var x = 99999999999;\n}\n", 2, 13, "'99999999999' is not a number the language has")]
    [TestCase("fn main() {\n    while (1) {\n", 1, 11, "this '{' is never closed")]
    public void A_Compile_Error_Names_File_Line_And_Column(string source, int line, int column, string message)
    {
        var error = Assert.Throws<CompileException>(() => WlCompiler.Compile(source, "bad.wl"))!;
        var first = error.Diagnostics[0];
        Assert.That((first.File, first.Line, first.Column), Is.EqualTo(("bad.wl", line, column)), first.ToString());
        Assert.That(first.Message, Does.StartWith(message));
        Assert.That(first.ToString(), Does.StartWith($"bad.wl:{line}:{column}: error: "));
    }

    [Test]
    public void A_Hint_Suggests_The_Closest_Name()
    {
        var error = Assert.Throws<CompileException>(() => WlCompiler.Compile("fn main() {\n    prnt(1);\n}\n", "bad.wl"))!;
        Assert.That(error.Diagnostics[0].Hint, Is.EqualTo("did you mean 'print'?"));
    }

    [Test]
    public void Functions_May_Call_Functions_Defined_Below_Them_And_Locals_Are_Scoped()
    {
        var run = Programs.Run("fn main() { var x = 1; if (x) { var y = later(x); x = y; } { var y = 5; x = x + y; } return x; }\nfn later(v) { return v * 10; }", "host");
        Assert.That(run.Result, Is.EqualTo(15));
    }
}
