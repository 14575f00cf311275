using System.CommandLine;
using System.Text.Json;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Labs.Progress;

namespace VirtualizationWorkbench.Workbench.Commands;

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
        command.Add(Submit());
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
            if (Continue(catalog, progress) is { } next) Console.WriteLine($"\n{next}");
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
            var session = Open(parse.GetValue(labs), parse.GetValue(id)!);
            var only = parse.GetValue(step) is { } n ? session.Step(n).Number : (int?)null;
            Console.Write(LabText.Render(session.Lab, session.Seed, only));
            return 0;
        });
        return command;
    }

    private static Command Start()
    {
        var id = new Argument<string>("lab") { Description = "Lab id, number or topic" };
        var dir = new Option<string?>("--dir") { Description = "Where to put your work (default: ./work/LAB-ID)" };
        var student = new Option<string?>("--id") { Description = "Your student id (login or student number): your generated numbers come from it, as your instructor's grader recomputes them" };
        var labs = LabsOption();
        var command = new Command("start", "Make a work folder with the lab's programs and starter files") { id, dir, student, labs };
        command.SetAction(parse =>
        {
            var session = Open(parse.GetValue(labs), parse.GetValue(id)!);
            if (parse.GetValue(student) is { } who && session.Identify(who))
            {
                Console.WriteLine($"student id: {who}; your generated numbers now come from it (answers given before may need redoing: lab check says)");
            }
            var written = session.Start(parse.GetValue(dir));
            Console.WriteLine($"work folder: {session.WorkDirectory}");
            foreach (var line in written) Console.WriteLine("  " + line);
            return 0;
        });
        return command;
    }

    private static Command Submit()
    {
        var id = new Argument<string>("lab") { Description = "Lab id, number or topic" };
        var output = new Option<string>("--out") { Description = "Where to put the submission folder (default: ./submissions); hand in OUT/YOUR-ID", DefaultValueFactory = _ => "submissions" };
        var exercise = new Option<string?>("--exercise") { Description = "Your graded exercise's folder (default: the lab's Exercise folder, where the lab has one)" };
        var labs = LabsOption();
        var command = new Command("submit", "Pack your answers, work files and exercise into one folder for your instructor's grader") { id, output, exercise, labs };
        command.SetAction(parse =>
        {
            var session = Open(parse.GetValue(labs), parse.GetValue(id)!);
            var graded = Path.Combine(session.Lab.Folder, "Exercise");
            var folder = parse.GetValue(exercise) is { } given ? Path.GetFullPath(given) : Directory.Exists(graded) ? graded : null;
            var made = VirtualizationWorkbench.Grading.LabSubmission.Write(session, folder, parse.GetValue(output)!);
            Console.WriteLine($"submission of lab {session.Lab.Id} by {session.StudentId}: {made}");
            Console.WriteLine($"  {session.Progress.Answers.Count} answers, work folder {session.WorkDirectory ?? "(none: lab start makes one)"}, exercise {folder ?? "(none)"}");
            Console.WriteLine("  hand in this folder; your instructor's grader re-runs every check with your numbers");
            return 0;
        });
        return command;
    }

    private static string Shorten(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    private static Command Answer()
    {
        var id = new Argument<string>("lab") { Description = "Lab id, number or topic" };
        var question = new Argument<string>("question") { Description = "The question's id" };
        var value = new Argument<string>("answer") { Description = "Your answer (a number, a choice letter or text)" };
        var labs = LabsOption();
        var command = new Command("answer", "Record your answer to a question (checked by 'lab check')") { id, question, value, labs };
        command.SetAction(parse =>
        {
            var session = Open(parse.GetValue(labs), parse.GetValue(id)!);
            var q = session.Answer(parse.GetValue(question)!, parse.GetValue(value)!);
            Console.WriteLine($"recorded {q.Id} = {session.AnswerTo(q)}; check it with: workbench lab check {session.Lab.Id} --step {session.Lab.Steps.First(s => s.Questions.Contains(q)).Number}");
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
            var session = Open(parse.GetValue(labs), parse.GetValue(id)!);
            var s = session.Step(parse.GetValue(step));
            if (s.Hints.Count == 0)
            {
                Console.WriteLine($"step {s.Number} has no hints");
                return 0;
            }
            var open = session.OpenHint(s, parse.GetValue(all));
            for (var i = 0; i < open.Count; i++) Console.WriteLine($"hint {i + 1}/{s.Hints.Count}: {open[i]}\n");
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
            var session = Open(parse.GetValue(labs), parse.GetValue(id)!);
            var lab = session.Lab;
            var steps = parse.GetValue(step) is { } n ? [session.Step(n)] : lab.Steps;
            if (parse.GetValue(work) is { } wd && !Directory.Exists(wd)) throw new UserError($"--work {wd}: no such folder");
            var answerFile = parse.GetValue(answers);
            var workFolder = parse.GetValue(work) is { } w ? Path.GetFullPath(w) : null;
            // An instructor's answer sheet is checked, never recorded as this student's progress.
            var results = answerFile is null
                ? session.Check(steps, workFolder)
                : session.CheckWithout(steps, AnswerSheet.Load(answerFile, lab, session.Seed), workFolder);
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
            if (Continue(catalog, progress) is { } next) Console.WriteLine(next);
            return 0;
        });
        return command;
    }

    private static LabSession Open(string? labsFolder, string name) =>
        new(LabCatalog.Locate(labsFolder).Find(name), ProgressStore.Default, Console.Error);

    /// <summary>"continue: …" for the lab worked on last, if it is among these labs (a progress file may name a
    /// lab of another labs folder).</summary>
    private static string? Continue(LabCatalog catalog, UserProgress progress)
    {
        if (progress.LastLab is not { } last || catalog.Labs.FirstOrDefault(l => l.Id == last) is not { } lab) return null;
        var mine = progress.Labs.GetValueOrDefault(last);
        var next = LabSession.NextStepOf(lab, mine);
        return LabSession.LabIsDone(lab, mine)
            ? $"continue: lab {last} is done; pick the next one with: workbench lab list"
            : mine is not null && lab.Steps.All(s => mine.StepsDone.Contains(s.Number))
                ? $"continue: workbench grade {last}   (every step passes; the exercise is left)"
                : $"continue: workbench lab show {last} --step {next.Number}";
    }
}
