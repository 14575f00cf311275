using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using VirtualizationWorkbench.Labs.Progress;

namespace VirtualizationWorkbench.Grading;

/// <summary>
/// The grading tests of an exercise, compiled once and kept: the untouched exercise (to compile against), the
/// tests' assembly, and the list of checks with their points, hints and visibility. Every submission then only
/// compiles its own files and runs against this build. Kept in <c>grading-cache/</c> of the workbench's data
/// folder under a hash of every input, so a change to the tests or the exercise rebuilds it and nothing else does.
/// </summary>
public sealed class GradingBuild
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private GradingBuild(GradedExercise exercise, string folder, IReadOnlyList<GradingCheck> checks)
    {
        Exercise = exercise;
        Folder = folder;
        Checks = checks;
    }

    /// <summary>The exercise.</summary>
    public GradedExercise Exercise { get; }

    /// <summary>The folder holding the build.</summary>
    public string Folder { get; }

    /// <summary>The grading tests' assembly.</summary>
    public string TestsAssembly => Path.Combine(Folder, TestsName + ".dll");

    /// <summary>The checks, in the tests' order.</summary>
    public IReadOnlyList<GradingCheck> Checks { get; }

    /// <summary>The assemblies a submission compiles against: the machine core.</summary>
    public static IReadOnlyList<string> SubmissionReferences => [typeof(VirtualizationWorkbench.Machine.Computer).Assembly.Location];

    /// <summary>The assemblies the grading tests compile against besides NUnit, Observe and the exercise: the machine
    /// core, and the RV32 emulator, whose interpreter is lab 03's reference. Submissions do not see the emulator,
    /// so an exercise cannot hand its work to the reference.</summary>
    public static IReadOnlyList<string> TestReferences => [.. SubmissionReferences, typeof(VirtualizationWorkbench.Emulation.Cpu.Rv32Hart).Assembly.Location];

    private static string TestsName => "Grading.Tests";

    /// <summary>Returns the build for <paramref name="exercise"/>, making it if the cache lacks it. Errors in the
    /// instructor's tests are reported as a <see cref="GradingError"/> with the compiler's messages.</summary>
    public static GradingBuild For(GradedExercise exercise)
    {
        var exerciseSources = CSharpSources.In(exercise.ExerciseFolder);
        var testSources = CSharpSources.In(exercise.GradingFolder);
        if (testSources.Count == 0) throw new GradingError($"{exercise.GradingFolder}: no grading tests (*.cs)");
        var cache = Path.Combine(ProgressStore.DataFolder, "grading-cache");
        var folder = Path.Combine(cache, $"{exercise.Lab.Id}-{Fingerprint(exercise, exerciseSources, testSources)}");
        var listing = Path.Combine(folder, "checks.json");
        if (File.Exists(listing))
        {
            var cached = JsonSerializer.Deserialize<List<GradingCheck>>(File.ReadAllText(listing), Json);
            if (cached is { Count: > 0 }) return new GradingBuild(exercise, folder, cached);
        }

        // Built aside and moved into place, so a killed build never leaves a half-made cache entry.
        var staging = Path.Combine(cache, $".staging-{Guid.NewGuid():N}");
        try
        {
            var reference = Path.Combine(staging, exercise.AssemblyName + ".dll");
            Fail(exercise.ExerciseFolder, ExerciseCompiler.Compile(exercise.AssemblyName, exercise.ExerciseFolder, exerciseSources, SubmissionReferences, reference), "the untouched exercise's files");
            var tests = Path.Combine(staging, TestsName + ".dll");
            // The tests see NUnit, the machine core and the emulator, the exercise, and this library's Observe and Inputs.
            var references = TestReferences.Append(typeof(NUnit.Framework.Assert).Assembly.Location).Append(typeof(Observe).Assembly.Location).Append(reference);
            Fail(exercise.GradingFolder, ExerciseCompiler.Compile(TestsName, exercise.GradingFolder, testSources, references, tests), "the grading tests");
            var checks = Explore(tests, exercise.AssemblyName, reference);
            if (checks.Count == 0) throw new GradingError($"{exercise.GradingFolder}: the grading tests hold no NUnit test");
            File.WriteAllText(Path.Combine(staging, "checks.json"), JsonSerializer.Serialize(checks, Json));
            try
            {
                Directory.Move(staging, folder);
            }
            catch (IOException) when (File.Exists(listing))
            {
                // Another grader made the same build meanwhile; it is identical.
            }
            return new GradingBuild(exercise, folder, checks);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static void Fail(string folder, IReadOnlyList<string> errors, string what)
    {
        if (errors.Count > 0)
        {
            throw new GradingError($"{what} ({folder}) do not compile; fix them first:\n  {string.Join("\n  ", errors.Take(20))}");
        }
    }

    private static string Fingerprint(GradedExercise exercise, IReadOnlyList<string> exerciseSources, IReadOnlyList<string> testSources)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\0"));
        Add(exercise.AssemblyName);
        // The workbench's own build (machine core, NUnit, compiler) is part of the input too.
        Add(typeof(GradingBuild).Assembly.ManifestModule.ModuleVersionId.ToString());
        Add(typeof(VirtualizationWorkbench.Machine.Computer).Assembly.ManifestModule.ModuleVersionId.ToString());
        Add(typeof(VirtualizationWorkbench.Emulation.Cpu.Rv32Hart).Assembly.ManifestModule.ModuleVersionId.ToString());
        foreach (var (root, files) in new[] { (exercise.ExerciseFolder, exerciseSources), (exercise.GradingFolder, testSources) })
        {
            foreach (var file in files)
            {
                Add(Path.GetRelativePath(root, file));
                hash.AppendData(File.ReadAllBytes(file));
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }

    // Exploring only builds NUnit's tree of tests (nothing runs); the tests are the instructor's code and the
    // exercise the untouched one, so this happens in the grader's own process.
    private static List<GradingCheck> Explore(string tests, string exerciseName, string exerciseAssembly)
    {
        var context = new TestsLoadContext(exerciseName, exerciseAssembly, collectible: true);
        try
        {
            var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
            runner.Load(context.LoadFromAssemblyPath(tests), new Dictionary<string, object>());
            return Flatten(runner.ExploreTests(TestFilter.Empty)).Select(ToCheck).ToList();
        }
        finally
        {
            context.Unload();
        }
    }

    private static IEnumerable<ITest> Flatten(ITest test) =>
        test.IsSuite ? test.Tests.SelectMany(Flatten) : [test];

    private static GradingCheck ToCheck(ITest test)
    {
        var where = $"grading test {test.FullName}";
        var points = 1.0;
        if (test.Properties.Get(GradingCheck.PointsProperty) is { } p)
        {
            points = Convert.ToDouble(p, CultureInfo.InvariantCulture);
            if (points < 0 || double.IsNaN(points)) throw new GradingError($"{where}: Points must be zero or more, not {p}");
        }
        var hint = test.Properties.Get(GradingCheck.HintProperty) as string;
        var visibility = GradingCheck.ParseVisibility(test.Properties.Get(GradingCheck.VisibilityProperty) as string, where);
        return new GradingCheck(test.FullName, test.Name, points, hint, visibility);
    }

    /// <summary>Loads the tests with a chosen build of the exercise; everything else (NUnit, the machine core)
    /// comes from the workbench, so the types the tests use are the workbench's own. Collectible only where it is
    /// unloaded on purpose (exploring, in the grader): a collectible context nothing references any more is unloaded by
    /// the garbage collector, so the worker, which exits when done anyway, uses a context that never unloads.</summary>
    internal sealed class TestsLoadContext(string exerciseName, string exerciseAssembly, bool collectible) : AssemblyLoadContext(isCollectible: collectible)
    {
        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name == exerciseName ? LoadFromAssemblyPath(exerciseAssembly) : null;
    }
}
