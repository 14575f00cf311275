using System.Reflection;
using Mono.Cecil;
using Mono.Cecil.Rocks;
using VirtualizationWorkbench.Packager.Rewriting;
using VirtualizationWorkbench.Sandbox.Runtime;

namespace VirtualizationWorkbench.Packager.Tests.Rewriting;

/// <summary>Every public member of the framework's filesystem types, listed by reflection on the running
/// framework, is either in the redirection table or deliberately left out below: a member the framework adds, or
/// a shim that is lost, fails here instead of reaching the host from a packaged application.</summary>
public sealed class RedirectionCoverageTests
{
    private static readonly Type[] FileSystemTypes = [typeof(File), typeof(Directory), typeof(FileInfo), typeof(DirectoryInfo), typeof(FileSystemInfo)];

    // Members deliberately not redirected, with the reason. Those that touch the disk are reported by `pack` as not
    // redirected, and `--strict` refuses them (UnsupportedUsageScan); the ones that only compute are not reported.
    private static readonly Dictionary<string, string> NotRedirected = new(StringComparer.Ordinal)
    {
        // Compute on the path the object holds; they touch no disk. (The constructors are redirected: they make a
        // relative path absolute against the current folder, which must be the application's virtual one.)
        ["FileInfo.get_Name()"] = "pure",
        ["FileInfo.get_DirectoryName()"] = "pure",
        ["FileInfo.get_Directory()"] = "pure",
        ["DirectoryInfo.get_Name()"] = "pure",
        ["DirectoryInfo.get_Parent()"] = "pure",
        ["DirectoryInfo.get_Root()"] = "pure",
        ["FileSystemInfo.get_Name()"] = "pure",
        ["FileSystemInfo.get_FullName()"] = "pure",
        ["FileSystemInfo.get_Extension()"] = "pure",
        ["FileSystemInfo.ToString()"] = "pure",
        ["FileSystemInfo.GetObjectData(SerializationInfo, StreamingContext)"] = "pure",

        // Symbolic links: the sandbox and the package keep no links of their own, and a link made on the write layer
        // would carry later reads and writes past the layers to wherever it points.
        ["File.CreateSymbolicLink(String, String)"] = "link",
        ["Directory.CreateSymbolicLink(String, String)"] = "link",
        ["FileSystemInfo.CreateAsSymbolicLink(String)"] = "link",

        // Lists the host's mount points; there is no file or folder to redirect, and no virtual set of drives.
        ["Directory.GetLogicalDrives()"] = "no path",

        // Act on an open handle, not a path: the file is the one the virtual filesystem chose when the handle was
        // opened (File.OpenHandle and FileStream are redirected). A setter on a handle opened only for reading a
        // host or package file would change that file's metadata, so they stay reported rather than redirected.
        ["File.GetAttributes(SafeFileHandle)"] = "handle",
        ["File.SetAttributes(SafeFileHandle, FileAttributes)"] = "handle",
        ["File.GetCreationTime(SafeFileHandle)"] = "handle",
        ["File.GetCreationTimeUtc(SafeFileHandle)"] = "handle",
        ["File.GetLastAccessTime(SafeFileHandle)"] = "handle",
        ["File.GetLastAccessTimeUtc(SafeFileHandle)"] = "handle",
        ["File.GetLastWriteTime(SafeFileHandle)"] = "handle",
        ["File.GetLastWriteTimeUtc(SafeFileHandle)"] = "handle",
        ["File.SetCreationTime(SafeFileHandle, DateTime)"] = "handle",
        ["File.SetCreationTimeUtc(SafeFileHandle, DateTime)"] = "handle",
        ["File.SetLastAccessTime(SafeFileHandle, DateTime)"] = "handle",
        ["File.SetLastAccessTimeUtc(SafeFileHandle, DateTime)"] = "handle",
        ["File.SetLastWriteTime(SafeFileHandle, DateTime)"] = "handle",
        ["File.SetLastWriteTimeUtc(SafeFileHandle, DateTime)"] = "handle",
        ["File.GetUnixFileMode(SafeFileHandle)"] = "handle",
        ["File.SetUnixFileMode(SafeFileHandle, UnixFileMode)"] = "handle",
    };

    // Path only computes on strings, except these, which read the disk or depend on the process.
    private static readonly string[] PathMembersThatTouchTheProcessOrDisk =
        ["Path.Exists(String)", "Path.GetFullPath(String)", "Path.GetTempPath()", "Path.GetTempFileName()"];

    [Test]
    public void Every_Public_Member_Of_The_Filesystem_Types_Should_Be_Redirected_Or_Deliberately_Left_Out()
    {
        using var resolver = FrameworkAssemblies.CreateResolver();
        var table = RedirectionTable.Load(typeof(SandboxRuntime).Assembly.Location, resolver);
        using var framework = ModuleDefinition.ReadModule(typeof(File).Assembly.Location, new ReaderParameters { AssemblyResolver = resolver });

        var members = FileSystemTypes.SelectMany(PublicMembers).ToList();
        var missing = members.Where(member => !NotRedirected.ContainsKey(Describe(member)) && !IsRedirected(table, framework, member)).Select(Describe);
        var leftOutButRedirected = members.Where(member => NotRedirected.ContainsKey(Describe(member)) && IsRedirected(table, framework, member)).Select(Describe);
        var stale = NotRedirected.Keys.Except(members.Select(Describe));

        Assert.Multiple(() =>
        {
            Assert.That(members, Has.Count.GreaterThan(150), "reflection found the framework's members");
            Assert.That(missing, Is.Empty, "public members with no shim: they would reach the host unguarded");
            Assert.That(leftOutButRedirected, Is.Empty, "redirected members still listed as left out");
            Assert.That(stale, Is.Empty, "left-out members the framework no longer has");
        });
    }

    [Test]
    public void The_Members_Of_Path_That_Touch_The_Process_Or_The_Disk_Should_Be_Redirected()
    {
        using var resolver = FrameworkAssemblies.CreateResolver();
        var table = RedirectionTable.Load(typeof(SandboxRuntime).Assembly.Location, resolver);
        using var framework = ModuleDefinition.ReadModule(typeof(Path).Assembly.Location, new ReaderParameters { AssemblyResolver = resolver });

        var members = PublicMembers(typeof(Path)).Where(member => PathMembersThatTouchTheProcessOrDisk.Contains(Describe(member))).ToList();

        Assert.That(members.Select(Describe), Is.EquivalentTo(PathMembersThatTouchTheProcessOrDisk));
        Assert.That(members.Where(member => !IsRedirected(table, framework, member)).Select(Describe), Is.Empty);
    }

    private static IEnumerable<MethodBase> PublicMembers(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Cast<MethodBase>()
            .Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.Instance));

    /// <summary>Whether the table has a row for the member, or for the virtual member it overrides, as the rewriter
    /// looks it up: by the full name of the Cecil definition at the same metadata token.</summary>
    private static bool IsRedirected(RedirectionTable table, ModuleDefinition framework, MethodBase member)
    {
        for (var method = (MethodDefinition?)framework.LookupToken(member.MetadataToken); method is not null;)
        {
            if (table.Find(method) is not null)
            {
                return true;
            }
            var baseMethod = method.IsVirtual && !method.IsNewSlot ? method.GetBaseMethod() : null;
            method = baseMethod == method ? null : baseMethod;
        }
        return false;
    }

    private static string Describe(MethodBase member) =>
        $"{member.DeclaringType!.Name}.{member.Name}({string.Join(", ", member.GetParameters().Select(parameter => Name(parameter.ParameterType)))})";

    private static string Name(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>" : type.Name;
}
