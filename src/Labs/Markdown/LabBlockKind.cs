namespace VirtualizationWorkbench.Labs.Markdown;

/// <summary>What a fenced block of a lab or lesson is, by its info word (see <c>curriculum/authoring.md</c>).</summary>
public enum LabBlockKind
{
    /// <summary>Any other fence (<c>text</c> diagrams, <c>c</c>, <c>sh</c> …): shown as written.</summary>
    Code,
    /// <summary><c>asm</c>: guest assembly the step's scripts load by name; shown to the student.</summary>
    Assembly,
    /// <summary><c>js</c> (or <c>javascript</c>, <c>script</c>): a lab script; hidden, as it holds the answers.</summary>
    Script,
    /// <summary><c>hint</c>: shown only when the student asks for it.</summary>
    Hint,
    /// <summary><c>question</c>: YAML for a question; shown as the question with the student's own numbers.</summary>
    Question,
}
