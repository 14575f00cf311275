namespace VirtualizationWorkbench.Bytecode.Compiler;

/// <summary>The kinds of token of the workbench language.</summary>
internal enum TokenKind
{
    Identifier,
    Number,
    String,
    Symbol,
    End,
}

/// <summary>One token, where it starts, and its value (a number's, a string's characters, a symbol's text).</summary>
internal readonly record struct SourceToken(TokenKind Kind, string Text, long Number, int Line, int Column);
