using System.CommandLine;
using System.Text.Json;
using VirtualizationWorkbench.Cli.Labs;
using VirtualizationWorkbench.Cli.Progress;

namespace VirtualizationWorkbench.Cli.Commands;

/// <summary><c>workbench lab …</c> and <c>workbench progress</c>: guided labs from the command line.</summary>
internal static class LabCommands
{
    private static Option<string?> LabsOption() => new("--labs") { Description = "The folder of labs (default: ./labs or above, $WORKBENCH_LABS, or the installed copy)" };

    public static Command Create()
    {
        var command = new Command("lab", "Guided labs: list, show, start, answer, hint and check");
        command.Add(List());
        command.Add(Show());
        command.Add(Start());
        command.Add(Answer());
        command.Add(Hint());
        command.Add(Check());
        return command;
    }

    private static Command List()
    {
        var labs = LabsOption();
        var command = new Command("list", "The labs in course order, with your progress") { labs };
        command.SetAction(parse =>
        {
            var catalog = LabCatalog.Locate(parse.GetValue(labs));
            var progress = ProgressStore.Default.Load(Console.Error);
            foreach (var lab in catalog.Labs)
            {
                var done = progress.Labs.TryGetValue(lab.Id, out var p) ? p.StepsDone.Count : 0;
                var grades = progress.Labs.TryGetValue(lab.Id, out var mine) && mine.Exercises.Count > 0
                    ? "   " + string.Join(", ", mine.Exercises.Select(e => $"exercise {e.Value.Score}/{e.Value.MaxScore}"))
                    : "";
                Console.WriteLine($"{lab.Id,-28} {Shorten(lab.Title, 44),-44} {Shorten(lab.Topic, 24),-24} {lab.Minutes,4} min   {done}/{lab.Steps.Count} steps{grades}");
            }
            foreach (var error in catalog.Errors)
            {
                Console.Error.WriteLine($"warning: {error.Message}");
            }
            if (progress.LastLab is { } last && progress.Labs.TryGetValue(last, out var lastProgress))
            {
                Console.WriteLine($"\ncontinue: workbench lab show {last} --step {NextStep(catalog.Find(last), lastProgress)}");
            }
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("lab") { Description = "Lab id, number or topic (01-machine, 01, machine)" };
        var step = new Option<int?>("--step") { Description = "Show only this step" };
        var labs = LabsOption();
        var command = new Command("show", "Show a lab: its text, with your questions and the commands to use") { id, step, labs };
        command.SetAction(parse =>
        {
            var lab = LabCatalog.Locate(parse.GetValue(labs)).Find(parse.GetValue(id)!);
            var progress = ProgressStore.Default.Load(Console.Error);
            Console.Write(LabText.Render(lab, progress.Seed, parse.GetValue(step)));
            return 0;
        });
        return command;
    }

    private static Command Start()
    {
        var id = new Argument<string>("lab") { Description = "Lab id, number or topic" };
        var dir = new Option<string?>("--dir") { Description = "Where to put your work (default: ./work/LAB-ID)" };
        var labs = LabsOption();
        var command = new Command("start", "Make a work folder with the lab's programs and starter files") { id, dir, labs };
        command.SetAction(parse =>
        {
            var lab = LabCatalog.Locate(parse.GetValue(labs)).Find(parse.GetValue(id)!);
            var folder = Path.GetFullPath(parse.GetValue(dir) ?? Path.Combine("work", lab.Id));
            var starter = Path.Combine(lab.Folder, "starter");
            var files = lab.Steps.SelectMany(s => s.Assembly).Select(block => (Name: block.Name + ".s", Text: block.Source)).ToList();
            if (Directory.Exists(starter))
            {
                files.AddRange(Directory.EnumerateFiles(starter).Order(StringComparer.Ordinal).Select(file => (Path.GetFileName(file), File.ReadAllText(file))));
            }
            // Starting again in the lab's own folder keeps the student's files; any other folder with something
            // in it is refused, so a mistyped --dir cannot scatter lab files among unrelated ones.
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any()
                && !files.Any(file => File.Exists(Path.Combine(folder, file.Name))))
            {
                throw new UserError($"{folder} is not empty and holds none of lab {lab.Id}'s files; give an empty or new folder with --dir");
            }
            Directory.CreateDirectory(folder);
            var written = files.Select(file => WriteIfAbsent(Path.Combine(folder, file.Name), file.Text)).ToList();
            var store = ProgressStore.Default;
            var progress = store.Load(Console.Error);
            progress.For(lab.Id).WorkDirectory = folder;
            progress.LastLab = lab.Id;
            store.Save(progress);
            Console.WriteLine($"work folder: {folder}");
            foreach (var line in written) Console.WriteLine("  " + line);
            return 0;
        });
        return command;
    }

    private static string Shorten(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    private static string WriteIfAbsent(string path, string text)
    {
        // Never overwrite a student's work.
        if (File.Exists(path)) return $"{Path.GetFileName(path)} (kept: it exists)";
        File.WriteAllText(path, text);
        return Path.GetFileName(path);
    }

    private static Command Answer()
    {
        var id = new Argument<string>("lab") { Description = "Lab id, number or topic" };
        var question = new Argument<string>("question") { Description = "The question's id" };
        var value = new Argument<string>("answer") { Description = "Your answer (a number, a choice letter or text)" };
        var labs = LabsOption();
        var command = new Command("answer", "Record your answer to a question (checked by 'lab check')") { id, question, value, labs };
        command.SetAction(parse =>
        {
            var lab = LabCatalog.Locate(parse.GetValue(labs)).Find(parse.GetValue(id)!);
            var q = lab.FindQuestion(parse.GetValue(question)!)
                ?? throw new UserError($"lab {lab.Id} has no question '{parse.GetValue(question)}'; its questions are {string.Join(", ", lab.Steps.SelectMany(s => s.Questions).Select(x => x.Id))}");
            var store = ProgressStore.Default;
            var progress = store.Load(Console.Error);
            progress.For(lab.Id).Answers[q.Id] = parse.GetValue(value)!;
            progress.LastLab = lab.Id;
            store.Save(progress);
            Console.WriteLine($"recorded {q.Id} = {parse.GetValue(value)}; check it with: workbench lab check {lab.Id} --step {lab.Steps.First(s => s.Questions.Contains(q)).Number}");
            return 0;
        });
        return command;
    }

    private static Command Hint()
    {
        var id = new Argument<string>("lab") { Description = "Lab id, number or topic" };
        var step = new Argument<int>("step") { Description = "Step number" };
        var all = new Option<bool>("--all") { Description = "Show every hint of the step at once" };
        var labs = LabsOption();
        var command = new Command("hint", "Show the next hint of a step") { id, step, all, labs };
        command.SetAction(parse =>
        {
            var lab = LabCatalog.Locate(parse.GetValue(labs)).Find(parse.GetValue(id)!);
            var s = FindStep(lab, parse.GetValue(step));
            if (s.Hints.Count == 0)
            {
                Console.WriteLine($"step {s.Number} has no hints");
                return 0;
            }
            var store = ProgressStore.Default;
            var progress = store.Load(Console.Error);
            var key = $"hints-{s.Number}";
            var labProgress = progress.For(lab.Id);
            var seen = labProgress.Answers.TryGetValue(key, out var n) && int.TryParse(n, out var k) ? k : 0;
            var upTo = parse.GetValue(all) ? s.Hints.Count : Math.Min(seen + 1, s.Hints.Count);
            for (var i = 0; i < upTo; i++) Console.WriteLine($"hint {i + 1}/{s.Hints.Count}: {s.Hints[i]}\n");
            labProgress.Answers[key] = upTo.ToString(System.Globalization.CultureInfo.InvariantCulture);
            store.Save(progress);
            return 0;
        });
        return command;
    }

    private static Command Check()
    {
        var id = new Argument<string>("lab") { Description = "Lab id, number or topic" };
        var step = new Option<int?>("--step") { Description = "Check only this step" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON" };
        var answers = new Option<string?>("--answers") { Description = "Take the answers from this JSON file instead of your progress (instructors, CI)" };
        var work = new Option<string?>("--work") { Description = "Your work folder (default: the one 'lab start' made)" };
        var labs = LabsOption();
        var command = new Command("check", "Run a lab's checks: each step passes or fails with its messages; exit code 0 only if all pass")
        {
            id, step, json, answers, work, labs,
        };
        command.SetAction(parse =>
        {
            var lab = LabCatalog.Locate(parse.GetValue(labs)).Find(parse.GetValue(id)!);
            var store = ProgressStore.Default;
            var progress = store.Load(Console.Error);
            var labProgress = progress.For(lab.Id);
            var answerFile = parse.GetValue(answers);
            var given = answerFile is null ? labProgress.Answers : AnswerSheet.Load(answerFile, lab, progress.Seed);
            var workDirectory = parse.GetValue(work) is { } w ? Path.GetFullPath(w) : labProgress.WorkDirectory;
            if (parse.GetValue(work) is { } wd && !Directory.Exists(wd)) throw new UserError($"--work {wd}: no such folder");
            var checker = new LabChecker(lab, new Labs.Scripting.LabSession(progress.Seed, given, workDirectory));
            var steps = parse.GetValue(step) is { } n ? [FindStep(lab, n)] : lab.Steps;
            var results = steps.Select(checker.CheckStep).ToList();
            if (answerFile is null)
            {
                foreach (var r in results)
                {
                    if (r.Passed) labProgress.StepsDone.Add(r.Step);
                    else labProgress.StepsDone.Remove(r.Step);
                }
                labProgress.LastStep = results[^1].Step;
                progress.LastLab = lab.Id;
                store.Save(progress);
            }
            if (parse.GetValue(json))
            {
                var document = new
                {
                    lab = lab.Id,
                    passed = results.All(r => r.Passed),
                    steps = results.Select(r => new
                    {
                        step = r.Step,
                        title = r.Title,
                        passed = r.Passed,
                        error = r.Error,
                        checks = r.Checks.Select(c => new { message = c.Message, passed = c.Passed }),
                    }),
                };
                Console.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                foreach (var r in results)
                {
                    Console.WriteLine($"step {r.Step}: {r.Title} — {(r.Passed ? "PASS" : "FAIL")}");
                    if (r.Error is not null) Console.WriteLine($"    error: {r.Error}");
                    foreach (var c in r.Checks) Console.WriteLine($"    {(c.Passed ? "ok  " : "FAIL")} {c.Message}");
                }
                var passed = results.Count(r => r.Passed);
                Console.WriteLine($"{passed} of {results.Count} steps pass");
            }
            return results.All(r => r.Passed) ? 0 : 1;
        });
        return command;
    }

    public static Command ProgressCommand()
    {
        var reset = new Option<bool>("--reset") { Description = "Start afresh (the old file is kept as progress.json.bak)" };
        var labs = LabsOption();
        var command = new Command("progress", "Your progress: steps done, answers and grades per lab, and where to continue") { reset, labs };
        command.SetAction(parse =>
        {
            var store = ProgressStore.Default;
            if (parse.GetValue(reset))
            {
                var backup = store.Reset();
                Console.WriteLine(backup is null ? "no progress to reset" : $"progress reset; the old file is {backup}");
                return 0;
            }
            var progress = store.Load(Console.Error);
            var catalog = LabCatalog.Locate(parse.GetValue(labs));
            Console.WriteLine($"progress file: {store.FilePath}");
            foreach (var lab in catalog.Labs)
            {
                progress.Labs.TryGetValue(lab.Id, out var p);
                var answered = p?.Answers.Keys.Count(k => lab.FindQuestion(k) is not null) ?? 0;
                var questions = lab.Steps.Sum(s => s.Questions.Count);
                var grades = p is null ? "" : string.Join(", ", p.Exercises.Select(e => $"{e.Key} {e.Value.Score}/{e.Value.MaxScore}"));
                Console.WriteLine($"{lab.Id,-32} {p?.StepsDone.Count ?? 0}/{lab.Steps.Count} steps, {answered}/{questions} answered{(grades.Length > 0 ? ", " + grades : "")}");
            }
            if (progress.LastLab is { } last && progress.Labs.TryGetValue(last, out var lp))
            {
                Console.WriteLine($"continue: workbench lab show {last} --step {NextStep(catalog.Find(last), lp)}");
            }
            return 0;
        });
        return command;
    }

    private static LabStep FindStep(LabDocument lab, int number) =>
        lab.Steps.FirstOrDefault(s => s.Number == number) ?? throw new UserError($"lab {lab.Id} has steps 1 to {lab.Steps.Count}, not {number}");

    private static int NextStep(LabDocument lab, LabProgress progress) =>
        lab.Steps.FirstOrDefault(s => !progress.StepsDone.Contains(s.Number))?.Number ?? lab.Steps.Count;
}
