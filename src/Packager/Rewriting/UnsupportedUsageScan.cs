using Mono.Cecil;
using Mono.Cecil.Cil;

namespace VirtualizationWorkbench.Packager.Rewriting;

/// <summary>Finds what rewriting cannot make safe: P/Invoke, reflection aimed at System.IO or the registry,
/// ReadyToRun images, unsafe code, and calls of watched framework types (File, Directory, the registry, process
/// start, …) that the table does not redirect.</summary>
internal sealed class UnsupportedUsageScan(ModuleDefinition module, RedirectionTable table, List<Finding> findings)
{
    // Members of watched types that only compute on strings or objects and never touch the disk.
    private static readonly HashSet<string> PureMembers = new(StringComparer.Ordinal)
    {
        ".ctor", "get_Name", "get_FullName", "get_Extension", "get_DirectoryName", "get_Directory", "get_Parent",
        "get_Root", "ToString", "Combine", "Join", "GetFileName", "GetFileNameWithoutExtension", "GetExtension",
        "GetDirectoryName", "ChangeExtension", "HasExtension", "IsPathRooted", "IsPathFullyQualified", "GetPathRoot",
        "GetInvalidPathChars", "GetInvalidFileNameChars", "GetRandomFileName", "GetRelativePath", "EndsInDirectorySeparator",
        "TrimEndingDirectorySeparator", "get_NewLine", "get_ProcessorCount", "get_TickCount", "get_TickCount64",
        "Exit", "get_ExitCode", "set_ExitCode", "get_Is64BitProcess", "get_Is64BitOperatingSystem", "get_OSVersion",
        "get_Version", "get_StackTrace", "get_MachineName", "get_UserName", "get_ProcessId", "get_ProcessPath",
        "FailFast", "get_CurrentManagedThreadId", "get_HasShutdownStarted", "get_UserInteractive", "get_SystemPageSize",
        "get_WorkingSet", "GetLogicalDrives", "get_UserDomainName", "get_IsPrivilegedProcess", "get_CpuUsage",
        "GetData", "SetData", "get_TargetFrameworkName", "GetSwitch", "SetSwitch", "add_ProcessExit", "remove_ProcessExit",
        "add_UnhandledException", "remove_UnhandledException", "get_CurrentDomain", "Dispose", "Close", "Load", "Save",
        "LoadXml", "Parse", "WriteTo", "get_Entries", "GetEntry", "CreateEntry", "Flush", "Read", "Write", "get_Length",
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
                        $"{called.DeclaringType.FullName}::{called.Name} acts on the host"));
                    break;
            }
        }
        if (mentionsWatched && reflectionCall is not null)
        {
            findings.Add(new Finding(FindingKind.Reflection, method.FullName, SourceOf(method, reflectionCall),
                "reflection on System.IO or the registry: the member it calls is chosen at run time and not redirected"));
        }
    }

    private bool IsUnredirectedWatchedCall(MethodReference called)
    {
        var declaring = called.DeclaringType.GetElementType().FullName;
        var watched = table.WatchedTypes.Contains(declaring) || declaring is "System.Diagnostics.Process" or "System.IO.FileSystemWatcher" or "System.IO.RandomAccess";
        if (!watched || PureMembers.Contains(called.Name) && !(called.Name == ".ctor" && IsPathConstructor(called)))
        {
            return false;
        }
        try
        {
            var definition = called.Resolve();
            if (definition is null || !FrameworkAssemblies.Defines(definition))
            {
                return false;
            }
            for (var method = definition; method is not null;)
            {
                if (table.Find(method) is not null)
                {
                    return false;
                }
                var baseMethod = method.IsVirtual && !method.IsNewSlot ? Mono.Cecil.Rocks.MethodDefinitionRocks.GetBaseMethod(method) : null;
                method = baseMethod == method ? null : baseMethod;
            }
            return true;
        }
        catch (AssemblyResolutionException)
        {
            return false;
        }
    }

    // A stream opened on a path by a constructor the table lacks would reach the host; other constructors
    // (FileInfo's, which only remembers a path, or a stream over a stream) are harmless.
    private static bool IsPathConstructor(MethodReference constructor) =>
        constructor.DeclaringType.Name is "FileStream" or "StreamReader" or "StreamWriter" or "FileSystemWatcher"
        && constructor.Parameters.Count > 0 && constructor.Parameters[0].ParameterType.FullName == "System.String";

    private static string? SourceOf(MethodDefinition method, Instruction instruction)
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
