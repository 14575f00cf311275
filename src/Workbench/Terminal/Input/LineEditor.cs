namespace VirtualizationWorkbench.Workbench.Terminal.Input;

/// <summary>
/// A one-line text prompt (a search, an answer, a file path, an address) shown in the status bar: it takes
/// characters until Enter (<see cref="Submitted"/>) or Escape (<see cref="Cancelled"/>).
/// </summary>
public sealed class LineEditor(string label, string initial = "")
{
    /// <summary>What is being asked, e.g. <c>search</c>.</summary>
    public string Label { get; } = label;

    /// <summary>The text typed so far.</summary>
    public string Text { get; private set; } = initial;

    /// <summary>Enter was pressed: <see cref="Text"/> is the answer.</summary>
    public bool Submitted { get; private set; }

    /// <summary>Escape was pressed: nothing is to be done.</summary>
    public bool Cancelled { get; private set; }

    /// <summary>Whether the prompt is finished either way.</summary>
    public bool Done => Submitted || Cancelled;

    /// <summary>Takes one key.</summary>
    public void Handle(KeyInput key)
    {
        switch (key.Key)
        {
            case UiKey.Enter: Submitted = true; break;
            case UiKey.Escape: Cancelled = true; break;
            case UiKey.Backspace: if (Text.Length > 0) Text = Text[..^1]; break;
            case UiKey.Character: Text += key.Char; break;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Label}: {Text}▏";
}
