using System.Runtime.Loader;
using Mono.Cecil;
using Mono.Cecil.Cil;
using VirtualizationWorkbench.Packager.Rewriting;
using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;
using VirtualizationWorkbench.Sandbox.Redirects;
using VirtualizationWorkbench.Sandbox.Registry;
using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Packager.Tests.Rewriting;

/// <summary>The rewriting pass on a real fixture assembly: the result loads, and behaves as redirected.</summary>
[Category(TestCategories.EndToEnd)]
[NonParallelizable]
public sealed class AssemblyRewriterTests
{
    private static RedirectionTable LoadTable(DefaultAssemblyResolver resolver) =>
        RedirectionTable.Load(typeof(SandboxRuntime).Assembly.Location, resolver);

    [Test]
    public void The_Table_Should_Key_Rows_On_The_Resolved_Framework_Definition_For_Every_Shim()
    {
        using var resolver = FrameworkAssemblies.CreateResolver();
        var table = LoadTable(resolver);

        var shims = typeof(FileRedirects).Assembly.GetTypes()
            .Where(type => type.GetCustomAttributes(typeof(RedirectsCallsToAttribute), false).Length > 0)
            .SelectMany(type => type.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly))
            .Count();

        Assert.That(table.Rows.Count(row => row.Kind != RedirectKind.SubstitutedMember), Is.EqualTo(shims));
        Assert.That(table.Rows.Select(row => row.Original), Does.Contain("System.Void System.IO.File::WriteAllText(System.String,System.String)"));
        Assert.That(table.Rows.Single(row => row.Original == "System.Void System.IO.File::WriteAllText(System.String,System.String)").Shim.DeclaringType.Name, Is.EqualTo(nameof(FileRedirects)));
        Assert.That(table.Rows.Where(row => row.Kind == RedirectKind.SubstitutedMember).Select(row => row.Original),
            Does.Contain("System.Object Microsoft.Win32.RegistryKey::GetValue(System.String)"));
    }

    [Test]
    public void A_Rewritten_Application_Should_Load_Call_No_Filesystem_Member_Directly_And_Write_Only_To_The_Sandbox()
    {
        var work = Directory.CreateTempSubdirectory("vwb-rewrite-").FullName;
        try
        {
            var source = TestApplications.Of("FileApp");
            var rewritten = Path.Combine(work, "app");
            Directory.CreateDirectory(rewritten);
            foreach (var file in Directory.EnumerateFiles(source))
            {
                File.Copy(file, Path.Combine(rewritten, Path.GetFileName(file)));
            }
            using (var resolver = FrameworkAssemblies.CreateResolver(source))
            using (var module = ModuleDefinition.ReadModule(Path.Combine(source, "FileApp.dll"), new ReaderParameters { AssemblyResolver = resolver, InMemory = true }))
            {
                var report = new AssemblyRewriter(LoadTable(resolver), module).Execute();
                Assert.That(report.RedirectedCalls, Is.GreaterThan(0));
                // The one call left reaching the host is on purpose: FileApp's `spawn` starts a process, which is
                // redirected only to be traced (a child runs no rewritten code).
                Assert.That(report.Findings, Has.Count.EqualTo(1));
                Assert.That(report.Findings.Single().Detail, Does.StartWith("System.Diagnostics.Process::Start is not redirected"));
                var direct = module.GetTypes().SelectMany(type => type.Methods).Where(method => method.HasBody)
                    .SelectMany(method => method.Body.Instructions)
                    .Where(instruction => instruction.OpCode.FlowControl == FlowControl.Call && instruction.Operand is MethodReference called
                        && called.DeclaringType.Namespace == "System.IO" && called.DeclaringType.Name is "File" or "Directory" or "FileInfo" or "StreamWriter" or "StreamReader" or "FileStream"
                        // These only remember or split a path; they never touch the disk.
                        && !(called.DeclaringType.Name == "FileInfo" && called.Name is ".ctor" or "get_Directory")
                        // Constructors over a stream or a handle open nothing themselves.
                        && !(called.Name == ".ctor" && (called.Parameters.Count == 0 || called.Parameters[0].ParameterType.FullName != "System.String"))
                        // A derived class's base constructor call stays, with its arguments mapped just before it.
                        && !IsPreparedBaseConstructorCall(instruction))
                    .Select(instruction => instruction.Operand.ToString());
                Assert.That(direct, Is.Empty);
                module.Write(Path.Combine(rewritten, "FileApp.dll"));
            }

            var host = Directory.CreateDirectory(Path.Combine(work, "host")).FullName;
            var home = Directory.CreateDirectory(Path.Combine(host, "home")).FullName;
            var macros = new FolderMacros(new Dictionary<string, string> { ["%Profile%"] = home, [FolderMacros.RootMacro] = "/" });
            var sandbox = new SandboxLayer(Path.Combine(work, "sandbox"));
            var vfs = new VirtualFileSystem(macros, new IsolationPolicy(IsolationMode.WriteCopy), PackageLayer.Empty(macros), sandbox);
            var environment = new VirtualEnvironment(new Dictionary<string, string>(), work);
            var context = new AssemblyLoadContext("rewritten", isCollectible: true);
            try
            {
                var assembly = context.LoadFromAssemblyPath(Path.Combine(rewritten, "FileApp.dll"));
                SandboxRuntime.Activate(new SandboxSession(vfs, new VirtualRegistry(new RegistryTree()), environment, rewritten + "/", assembly, []));
                var exitCode = assembly.EntryPoint!.Invoke(null, [new[] { "put", Path.Combine(home, "x.txt"), "redirected" }]);

                Assert.That(exitCode, Is.Zero);
                Assert.That(File.Exists(Path.Combine(home, "x.txt")), Is.False);
                Assert.That(File.ReadAllText(Path.Combine(sandbox.FilesRoot, "%Profile%", "x.txt")), Is.EqualTo("redirected"));
            }
            finally
            {
                SandboxRuntime.Deactivate();
                context.Unload();
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Whether a constructor call is one the rewriter prepared: the arguments are reloaded right after
    /// a call of a sandbox <c>PrepareBase</c> shim.</summary>
    private static bool IsPreparedBaseConstructorCall(Instruction instruction)
    {
        if (instruction.OpCode != OpCodes.Call || instruction.Operand is not MethodReference { Name: ".ctor" } constructor)
        {
            return false;
        }
        var before = instruction;
        for (var i = 0; i <= constructor.Parameters.Count && before is not null; i++)
        {
            before = before.Previous;
        }
        return before?.Operand is MethodReference { Name: "PrepareBase" } prepare && prepare.DeclaringType.Namespace == "VirtualizationWorkbench.Sandbox.Redirects";
    }
}
