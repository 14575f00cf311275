using Terminal.Gui.Drawing;
using VirtualizationWorkbench.Workbench.Terminal.Shell;

namespace VirtualizationWorkbench.Workbench.Tests.Terminal;

public sealed class WrappedRowTests
{
    [Test]
    public void A_Long_Last_Column_Wraps_Under_Itself_Within_The_Width()
    {
        const string text = "access vlan=7 — internet (02:00:00:00:07:01) and a description that goes on";
        var lines = WrappedRow.Lines(new Piece("  isp.2     0   0  "), text, VisualRole.Disabled, 50);

        var drawn = lines.Select(l => string.Concat(l.Select(p => p.Text))).ToList();
        Assert.That(drawn, Has.Count.GreaterThan(1));
        Assert.That(drawn.Select(l => l.Length), Has.All.LessThanOrEqualTo(50));
        Assert.That(drawn[0], Does.StartWith("  isp.2     0   0  access"));
        Assert.That(drawn.Skip(1), Has.All.StartWith(new string(' ', 19)).And.All.Not.StartWith(new string(' ', 20)));
        Assert.That(string.Join(' ', lines.Select(l => l[1].Text.Trim())), Is.EqualTo(text), "every word is kept, in order");
        Assert.That(lines.Select(l => l[1].Role), Has.All.EqualTo(VisualRole.Disabled));
    }

    [Test]
    public void A_Short_Last_Column_Stays_On_Its_Row()
    {
        var lines = WrappedRow.Lines(new Piece("  7   "), "isp.1(T) isp.2", VisualRole.Normal, 80);
        Assert.That(lines, Has.Count.EqualTo(1));
        Assert.That(string.Concat(lines[0].Select(p => p.Text)), Is.EqualTo("  7   isp.1(T) isp.2"));
    }
}
