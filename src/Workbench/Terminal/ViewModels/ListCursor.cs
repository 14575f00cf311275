namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>The selected row of a list and the first row in view, kept inside the list and on screen.</summary>
public sealed class ListCursor
{
    /// <summary>How many rows the list has.</summary>
    public int Count { get; private set; }

    /// <summary>The selected row (0 when the list is empty).</summary>
    public int Selected { get; private set; }

    /// <summary>The first row shown.</summary>
    public int Top { get; private set; }

    /// <summary>Sets the list's length, keeping the selection inside it.</summary>
    public void Resize(int count)
    {
        Count = Math.Max(0, count);
        Select(Selected);
    }

    /// <summary>Selects row <paramref name="index"/> (clamped).</summary>
    public void Select(int index) => Selected = Count == 0 ? 0 : Math.Clamp(index, 0, Count - 1);

    /// <summary>Moves the selection by <paramref name="rows"/> (negative: up), staying inside the list.</summary>
    public void Move(int rows) => Select(Selected + rows);

    /// <summary>Scrolls so the selection is among the <paramref name="height"/> rows shown; returns the first row.</summary>
    public int Scroll(int height)
    {
        height = Math.Max(1, height);
        if (Selected < Top) Top = Selected;
        if (Selected >= Top + height) Top = Selected - height + 1;
        Top = Math.Clamp(Top, 0, Math.Max(0, Count - height));
        return Top;
    }
}
