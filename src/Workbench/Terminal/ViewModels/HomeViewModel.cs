using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Labs.Progress;
using VirtualizationWorkbench.Workbench.Terminal.Lessons;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>What a row of the home screen opens.</summary>
public enum HomeItemKind
{
    /// <summary>The lab worked on last, at its next unfinished step.</summary>
    Continue,
    /// <summary>A lab.</summary>
    Lab,
    /// <summary>A lesson.</summary>
    Lesson,
    /// <summary>The machine inspector on a program file (asks for the file).</summary>
    Inspector,
    /// <summary>The packager on a .vapp file (asks for the file).</summary>
    Packager,
    /// <summary>The experiments, run and drawn as charts.</summary>
    Experiments,
}

/// <summary>A row of the home screen.</summary>
/// <param name="Kind">What it opens.</param>
/// <param name="Section">The heading it stands under.</param>
/// <param name="Label">Its text.</param>
/// <param name="Detail">Progress or a hint, right of the label.</param>
/// <param name="Id">The lab id or lesson path it opens.</param>
/// <param name="Step">For <see cref="HomeItemKind.Continue"/>, the step to open.</param>
public sealed record HomeItem(HomeItemKind Kind, string Section, string Label, string Detail, string? Id, int? Step = null);

/// <summary>
/// The home screen's state: the labs in course order with the student's progress, the lessons, "continue where
/// you left off", and the tools; one selected row.
/// </summary>
public sealed class HomeViewModel
{
    private readonly ProgressStore store;

    /// <summary>Reads the labs of <paramref name="catalog"/>, the lessons beside them and the progress in
    /// <paramref name="store"/>.</summary>
    public HomeViewModel(LabCatalog catalog, ProgressStore store)
    {
        Catalog = catalog;
        this.store = store;
        Lessons = Lesson.In(catalog.CurriculumFolder);
        Refresh();
    }

    /// <summary>The labs.</summary>
    public LabCatalog Catalog { get; }

    /// <summary>The lessons.</summary>
    public IReadOnlyList<Lesson> Lessons { get; }

    /// <summary>The rows, in order.</summary>
    public IReadOnlyList<HomeItem> Items { get; private set; } = [];

    /// <summary>The rows as the list shows them: what a row is, then for a lab its progress in a column and its
    /// title (so that the progress lines up however long the titles are); for the others their label and detail.
    /// A row may run past a narrow window: <see cref="Describe"/> gives the selected one whole, for a line that
    /// wraps.</summary>
    public IReadOnlyList<string> Rows
    {
        get
        {
            var detail = Items.Where(i => i.Kind == HomeItemKind.Lab).Select(i => i.Detail.Length).DefaultIfEmpty(0).Max();
            return [.. Items.Select(i => i.Kind switch
            {
                HomeItemKind.Lesson => $"{"lesson",-9}{i.Label}",
                HomeItemKind.Lab => $"{"lab",-9}{i.Detail.PadRight(detail)}  {i.Label}",
                HomeItemKind.Continue => $"{"continue",-9}{i.Detail} — {i.Label}",
                _ => $"{"tool",-9}{i.Label}: {i.Detail}",
            })];
        }
    }

    /// <summary>Row <paramref name="index"/> in words, whole: what it is, its label and its detail.</summary>
    public string Describe(int index)
    {
        if (index < 0 || index >= Items.Count) return "";
        var i = Items[index];
        return i.Kind switch
        {
            HomeItemKind.Lesson => $"Lesson {i.Label}",
            HomeItemKind.Lab => $"Lab {i.Label} · {i.Detail}",
            HomeItemKind.Continue => $"Continue {i.Label} at {i.Detail}",
            _ => $"{i.Label}: {i.Detail}",
        };
    }

    /// <summary>Warnings: labs that do not parse, a progress file that could not be read.</summary>
    public string? Message { get; private set; }

    /// <summary>Reads the progress again (after a lab screen changed it) and rebuilds the rows.</summary>
    public void Refresh()
    {
        var warnings = new StringWriter();
        var progress = store.Load(warnings);
        var items = new List<HomeItem>();
        if (progress.LastLab is { } last && Catalog.Labs.FirstOrDefault(l => l.Id == last) is { } lastLab)
        {
            var next = LabSession.NextStepOf(lastLab, progress.Labs.GetValueOrDefault(last));
            items.Add(new HomeItem(HomeItemKind.Continue, "Continue where you left off", $"{lastLab.Title}", $"step {next.Number}: {next.Title}", last, next.Number));
        }
        foreach (var lab in Catalog.Labs)
        {
            var p = progress.Labs.GetValueOrDefault(lab.Id);
            var done = p?.StepsDone.Count(n => lab.Steps.Any(s => s.Number == n)) ?? 0;
            // Done means the steps and the graded exercise: a lab whose steps pass but whose exercise is not solved is not.
            var state = LabSession.LabIsDone(lab, p) ? "done"
                : done == lab.Steps.Count ? $"{done}/{lab.Steps.Count} steps, exercise left"
                : $"{done}/{lab.Steps.Count} steps";
            items.Add(new HomeItem(HomeItemKind.Lab, "Labs", $"{lab.Id}  {lab.Title}", $"{state}, ~{lab.Minutes} min", lab.Id));
        }
        foreach (var lesson in Lessons)
        {
            items.Add(new HomeItem(HomeItemKind.Lesson, "Lessons", lesson.Title, lesson.Id, lesson.Path));
        }
        items.Add(new HomeItem(HomeItemKind.Inspector, "Tools", "Machine inspector", "open an assembly program (.s)", null));
        items.Add(new HomeItem(HomeItemKind.Packager, "Tools", "Packager", "open a package (.vapp)", null));
        items.Add(new HomeItem(HomeItemKind.Experiments, "Tools", "Experiments", "run one and see its figures drawn", null));
        Items = items;
        var problems = Catalog.Errors.Select(e => $"warning: {e.Message}").Append(warnings.ToString().Trim()).Where(s => s.Length > 0).ToList();
        Message = problems.Count > 0 ? string.Join("; ", problems) : null;
    }
}
