using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace VirtualizationWorkbench.Packager.Rewriting;

/// <summary>Rewrites one application assembly so that its filesystem, environment and registry calls go to the
/// sandbox. Like a Fody weaver, <see cref="Execute"/> reads as its phases: find what the module uses, check it,
/// rewrite it, report it.</summary>
public sealed class AssemblyRewriter
{
    private readonly RedirectionTable _table;
    private readonly ModuleDefinition _module;
    private readonly List<Finding> _findings = [];
    private int _redirected;

    /// <summary>Prepares to rewrite <paramref name="module"/> with <paramref name="table"/>.</summary>
    public AssemblyRewriter(RedirectionTable table, ModuleDefinition module)
    {
        _table = table;
        _module = module;
    }

    /// <summary>Rewrites the module in place and reports what was redirected and what could not be.</summary>
    public AssemblyReport Execute()
    {
        var methods = FindMethodsWithBodies();
        new UnsupportedUsageScan(_module, _table, _findings).Execute(methods);
        // Calls first, while every member reference still names the framework member it was compiled against;
        // then the substituted types, whose remaining mentions are signatures, locals and operands.
        foreach (var method in methods)
        {
            RewriteBody(method);
        }
        if (_table.SubstitutedTypeNames.Count > 0)
        {
            new TypeSubstitution(_module, _table).Execute();
        }
        if ((_module.Attributes & ModuleAttributes.ILLibrary) != 0)
        {
            // The image is plain IL after rewriting. A ReadyToRun image's flags (precompiled code, not IL only)
            // would promise native code that is gone, and its machine type is the precompiled code's, which names
            // the operating system too (AMD64 on Linux is 0xFD1D) and makes an IL image unloadable: the IL below
            // was compiled for any CPU, and is written as such.
            _module.Attributes = (_module.Attributes & ~(ModuleAttributes.ILLibrary | ModuleAttributes.Required32Bit | ModuleAttributes.Preferred32Bit)) | ModuleAttributes.ILOnly;
            _module.Architecture = TargetArchitecture.I386;
        }
        return new AssemblyReport(_module.Name, _redirected, _findings);
    }

    private List<MethodDefinition> FindMethodsWithBodies() =>
        [.. _module.GetTypes().SelectMany(type => type.Methods).Where(method => method.HasBody)];

    private void RewriteBody(MethodDefinition method)
    {
        var body = method.Body;
        var il = body.GetILProcessor();
        // Between SimplifyMacros and OptimizeMacros every branch is in its long form, so replacing and inserting
        // instructions cannot push a short branch out of range.
        body.SimplifyMacros();
        var changed = false;
        foreach (var instruction in body.Instructions.ToArray())
        {
            changed |= instruction.Operand switch
            {
                MethodReference called => RewriteCall(il, instruction, called),
                FieldReference field when instruction.OpCode == OpCodes.Ldsfld => RewriteFieldLoad(instruction, field),
                _ => false,
            };
        }
        body.OptimizeMacros();
        _ = changed;
    }

    private bool RewriteCall(ILProcessor il, Instruction instruction, MethodReference called)
    {
        if (Resolve(called) is not { } definition || FindRow(definition) is not { } row)
        {
            return false;
        }
        var shim = _module.ImportReference(row.Shim);
        switch (row.Kind)
        {
            case RedirectKind.Constructor when instruction.OpCode == OpCodes.Newobj:
            case RedirectKind.StaticCall or RedirectKind.InstanceCall when instruction.OpCode == OpCodes.Call || instruction.OpCode == OpCodes.Callvirt:
                instruction.OpCode = OpCodes.Call;
                instruction.Operand = shim;
                break;
            case RedirectKind.StaticCall or RedirectKind.InstanceCall when instruction.OpCode == OpCodes.Ldftn:
                // A delegate over an instance method becomes one over the static shim closed over its first
                // argument: the instance the delegate is created with.
                instruction.Operand = shim;
                break;
            case RedirectKind.InstanceCall when instruction.OpCode == OpCodes.Ldvirtftn:
                // ldvirtftn pops the instance its caller duplicated; pop it and load the shim's pointer instead.
                il.InsertBefore(instruction, il.Create(OpCodes.Pop));
                instruction.OpCode = OpCodes.Ldftn;
                instruction.Operand = shim;
                break;
            case RedirectKind.SubstitutedMember:
                instruction.Operand = shim;
                break;
            default:
                return false;
        }
        _redirected++;
        return true;
    }

    private bool RewriteFieldLoad(Instruction instruction, FieldReference field)
    {
        if (!_table.WatchedTypes.Contains(field.DeclaringType.FullName))
        {
            return false;
        }
        if (field.Resolve() is not { } definition || !FrameworkAssemblies.Defines(definition) || _table.Find(definition) is not { } row)
        {
            return false;
        }
        instruction.OpCode = OpCodes.Call;
        instruction.Operand = _module.ImportReference(row.Shim);
        _redirected++;
        return true;
    }

    /// <summary>The row for a method, or for the virtual method it overrides (a call compiled against
    /// <c>FileInfo.Exists</c> is a call of <c>FileSystemInfo.Exists</c>).</summary>
    private Redirect? FindRow(MethodDefinition definition)
    {
        for (MethodDefinition? method = definition; method is not null;)
        {
            if (_table.Find(method) is { } row)
            {
                return row;
            }
            var baseMethod = method.IsVirtual && !method.IsNewSlot ? method.GetBaseMethod() : null;
            method = baseMethod == method ? null : baseMethod;
        }
        return null;
    }

    private MethodDefinition? Resolve(MethodReference called)
    {
        // Cheap test first: only members of framework types named in the table can match, and resolving every
        // call of a large assembly would cost more than the whole rewrite.
        var declaring = called.DeclaringType.GetElementType();
        if (!_table.WatchedTypes.Contains(declaring.FullName))
        {
            return null;
        }
        try
        {
            var definition = called.Resolve();
            return definition is not null && FrameworkAssemblies.Defines(definition) ? definition : null;
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }
}
