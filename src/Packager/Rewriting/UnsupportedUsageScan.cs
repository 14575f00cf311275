using Mono.Cecil;
using Mono.Cecil.Cil;

namespace VirtualizationWorkbench.Packager.Rewriting;

/// <summary>Finds what rewriting cannot make safe: P/Invoke, reflection aimed at System.IO or the registry,
/// ReadyToRun images, unsafe code, and calls of watched framework types (File, Directory, the registry, process
/// start, …) that the table does not redirect.</summary>
internal sealed class UnsupportedUsageScan(ModuleDefinition module, RedirectionTable table, List<Finding> findings)
{
    // Types every member of which reaches the host, except the few listed in PureMembers.
    private static readonly HashSet<string> HostTypes = new(StringComparer.Ordinal)
    {
        "System.IO.File", "System.IO.Directory", "System.IO.FileInfo", "System.IO.DirectoryInfo", "System.IO.FileSystemInfo",
        "System.IO.FileSystemWatcher", "System.IO.RandomAccess", "Microsoft.Win32.Registry", "Microsoft.Win32.RegistryKey",
        "System.IO.Compression.ZipFile", "System.IO.Compression.ZipFileExtensions",
    };

    // Members of those types that only compute on what the object already holds.
    private static readonly HashSet<string> PureMembers = new(StringComparer.Ordinal)
    {
        ".ctor", "get_Name", "get_FullName", "get_Extension", "get_DirectoryName", "get_Directory", "get_Parent",
        "get_Root", "ToString", "get_UnixFileMode", "GetObjectData", "Equals", "GetHashCode", "get_LinkTarget",
    };

    // Types whose members take a "uri" or a "fileName" only to hold or compare it: a namespace URI, a URI being
    // built, the name of a file an exception is about. Reporting them cried wolf in every XML-using application.
    private static readonly HashSet<string> NameOnlyTypes = new(StringComparer.Ordinal)
    {
        "System.Uri", "System.UriBuilder", "System.Xml.XmlNamespaceManager", "System.Xml.XmlQualifiedName",
        "System.Xml.Linq.XNamespace", "System.Xml.Linq.XName", "System.Xml.Serialization.XmlSerializerNamespaces",
    };

    private static readonly string[] ReflectionTypes = ["System.Type", "System.Reflection.Assembly", "System.Activator", "System.Reflection.MethodBase", "System.Reflection.MethodInfo"];

    public void Execute(IReadOnlyList<MethodDefinition> methods)
    {
        var assembly = module.Assembly.Name.Name;
        if ((module.Attributes & ModuleAttributes.ILLibrary) != 0)
        {
            findings.Add(new Finding(FindingKind.ReadyToRun, assembly, null, "ReadyToRun image: its native code is dropped by rewriting and the IL is compiled at run time"));
        }
        if (module.Assembly.CustomAttributes.Concat(module.CustomAttributes).Any(attribute => attribute.AttributeType.FullName == "System.Security.UnverifiableCodeAttribute"))
        {
            findings.Add(new Finding(FindingKind.UnsafeCode, assembly, null, "compiled with unsafe code: pointers reach memory the sandbox does not guard"));
        }
        foreach (var method in module.GetTypes().SelectMany(type => type.Methods).Where(method => method.IsPInvokeImpl))
        {
            findings.Add(new Finding(FindingKind.PlatformInvoke, method.FullName, null, $"P/Invoke of {method.PInvokeInfo?.EntryPoint ?? method.Name} in {method.PInvokeInfo?.Module?.Name ?? "a native library"}"));
        }
        foreach (var method in methods)
        {
            ScanBody(method);
        }
    }

    private void ScanBody(MethodDefinition method)
    {
        var mentionsWatched = false;
        Instruction? reflectionCall = null;
        foreach (var instruction in method.Body.Instructions)
        {
            switch (instruction.Operand)
            {
                case string text when text.StartsWith("System.IO.", StringComparison.Ordinal) || text.StartsWith("Microsoft.Win32.", StringComparison.Ordinal):
                    mentionsWatched = true;
                    break;
                case TypeReference type when instruction.OpCode == OpCodes.Ldtoken && table.WatchedTypes.Contains(type.FullName):
                    mentionsWatched = true;
                    break;
                case MethodReference called when ReflectionTypes.Contains(called.DeclaringType.FullName)
                    && called.Name is "GetType" or "GetMethod" or "GetMethods" or "GetProperty" or "GetField" or "InvokeMember" or "CreateInstance" or "Invoke" or "GetConstructor":
                    reflectionCall ??= instruction;
                    break;
                case MethodReference called when IsUnredirectedWatchedCall(called):
                    findings.Add(new Finding(FindingKind.NotRedirected, method.FullName, SourceOf(method, instruction),
                        $"{called.DeclaringType.FullName}::{called.Name} is not redirected"));
                    break;
            }
        }
        if (mentionsWatched && reflectionCall is not null)
        {
            findings.Add(new Finding(FindingKind.Reflection, method.FullName, SourceOf(method, reflectionCall),
                "reflection on System.IO or the registry: the member it calls is chosen at run time and not redirected"));
        }
    }

    /// <summary>Whether a call reaches the host without the sandbox: a framework member that is not in the
    /// table and either belongs to a filesystem or registry type, starts a process, or takes a path (a string
    /// parameter named like one: path, fileName, uri, …).</summary>
    private bool IsUnredirectedWatchedCall(MethodReference called)
    {
        var declaring = called.DeclaringType.GetElementType().FullName;
        var hostType = HostTypes.Contains(declaring);
        if (hostType ? PureMembers.Contains(called.Name) : !called.Parameters.Any(parameter => parameter.ParameterType.FullName == "System.String")
            && declaring != "System.Diagnostics.Process")
        {
            return false;
        }
        // Path only computes on strings; the members of it that depend on the process are in the table.
        if (!hostType && (declaring == "System.IO.Path" || !FrameworkAssemblies.Contains(called.DeclaringType.Scope.Name)))
        {
            return false;
        }
        try
        {
            var definition = called.Resolve();
            // A process start is redirected only to be traced: the child runs no rewritten code, so it stays a
            // finding (the kernel boundary contains it; an advisory sandbox does not).
            var startsProcess = declaring == "System.Diagnostics.Process" && definition?.Name == "Start";
            if (definition is null || !FrameworkAssemblies.Defines(definition) || (FindRow(definition) is not null && !startsProcess)
                || (!hostType && TouchesNoFile(definition.DeclaringType)))
            {
                return false;
            }
            return hostType
                || (declaring == "System.Diagnostics.Process" && definition.Name == "Start")
                || definition.Parameters.Any(parameter => parameter.ParameterType.FullName == "System.String" && IsPathName(parameter.Name));
        }
        catch (AssemblyResolutionException)
        {
            return false;
        }
    }

    /// <summary>Whether the members of <paramref name="type"/> only carry the paths and URIs they are given: the
    /// <see cref="NameOnlyTypes"/> and every exception (<c>new FileNotFoundException(message, fileName)</c>).</summary>
    private static bool TouchesNoFile(TypeDefinition type)
    {
        if (NameOnlyTypes.Contains(type.FullName))
        {
            return true;
        }
        for (TypeDefinition? at = type; at is not null; at = at.BaseType?.Resolve())
        {
            if (at.FullName == "System.Exception")
            {
                return true;
            }
        }
        return false;
    }

    private Redirect? FindRow(MethodDefinition definition)
    {
        for (MethodDefinition? method = definition; method is not null;)
        {
            if (table.Find(method) is { } row)
            {
                return row;
            }
            var baseMethod = method.IsVirtual && !method.IsNewSlot ? Mono.Cecil.Rocks.MethodDefinitionRocks.GetBaseMethod(method) : null;
            method = baseMethod == method ? null : baseMethod;
        }
        return null;
    }

    // The names the framework gives parameters that are paths of files to open, create or load. Matching whole
    // names keeps out strings that merely mention a path or a URI (Path.Combine's path1, namespaceURI).
    private static readonly HashSet<string> PathParameterNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "path", "fileName", "sourceFileName", "destFileName", "destinationFileName", "archiveFileName", "sourceArchiveFileName",
        "destinationArchiveFileName", "sourceDirectoryName", "destinationDirectoryName", "sourceDirName", "destDirName",
        "assemblyFile", "assemblyPath", "inputUri", "uri", "outputFileName", "url",
    };

    private static bool IsPathName(string name) => PathParameterNames.Contains(name);

    /// <summary>The source file and line of <paramref name="instruction"/>, when the assembly has symbols.</summary>
    internal static string? SourceOf(MethodDefinition method, Instruction instruction)
    {
        if (!method.DebugInformation.HasSequencePoints)
        {
            return null;
        }
        SequencePoint? nearest = null;
        foreach (var point in method.DebugInformation.SequencePoints)
        {
            if (point.Offset > instruction.Offset)
            {
                break;
            }
            if (!point.IsHidden)
            {
                nearest = point;
            }
        }
        return nearest is null ? null : $"{nearest.Document.Url}:{nearest.StartLine}";
    }
}
