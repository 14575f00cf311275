using System.CommandLine;
using VirtualizationWorkbench.Grading;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Workbench;

namespace VirtualizationWorkbench.Bench;

/// <summary><c>workbench-bench grading [LAB]</c>: how long grading takes on this machine (<see cref="GradingBenchmark"/>).</summary>
internal static class GradingBenchCommand
{
    public static Command Create()
    {
        var lab = new Argument<string>("lab") { Description = "Lab id, number or topic", DefaultValueFactory = _ => "01" };
        var students = new Option<int>("--submissions") { Description = "Size of the class to grade", DefaultValueFactory = _ => 50 };
        var parallel = new Option<int>("-j", "--jobs") { Description = "Submissions graded at once", DefaultValueFactory = _ => Environment.ProcessorCount };
        var labs = new Option<string?>("--labs") { Description = "The folder of labs (default: ./labs or above, $WORKBENCH_LABS)" };
        var command = new Command("grading", "Time grading: one exercise with a warm cache, and a class of N submissions (copies of the solution and the exercise)")
        {
            lab, students, parallel, labs,
        };
        command.SetAction(parse =>
        {
            var graded = GradedExercise.Of(LabCatalog.Locate(parse.GetValue(labs)).Find(parse.GetValue(lab)!));
            if (parse.GetValue(students) is < 1 or > 1000) throw new UserError("--submissions: give between 1 and 1000");
            if (parse.GetValue(parallel) is < 1 or > 64) throw new UserError("-j: give between 1 and 64");
            return GradingBenchmark.Run(graded, parse.GetValue(students), parse.GetValue(parallel), Console.Out);
        });
        return command;
    }
}
