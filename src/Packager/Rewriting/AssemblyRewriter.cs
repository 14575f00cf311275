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
        if (!MentionsWatchedType(method))
        {
            // Most methods of a large library touch nothing the table redirects; leaving their bodies as they were
            // read halves the time a compiler-sized assembly takes.
            return;
        }
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
                MethodReference called => RewriteCall(method, il, instruction, called),
                FieldReference field when instruction.OpCode == OpCodes.Ldsfld => RewriteFieldLoad(instruction, field),
                _ => false,
            };
        }
        body.OptimizeMacros();
        _ = changed;
    }

    private bool MentionsWatchedType(MethodDefinition method)
    {
        foreach (var instruction in method.Body.Instructions)
        {
            var declaring = instruction.Operand switch
            {
                MethodReference called => called.DeclaringType,
                FieldReference field when instruction.OpCode == OpCodes.Ldsfld => field.DeclaringType,
                _ => null,
            };
            if (declaring is not null && _table.WatchedTypes.Contains(declaring.GetElementType().FullName))
            {
                return true;
            }
        }
        return false;
    }

    private bool RewriteCall(MethodDefinition method, ILProcessor il, Instruction instruction, MethodReference called)
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
            case RedirectKind.Constructor when instruction.OpCode == OpCodes.Call:
                // A derived class's constructor calling this one as its base: the object exists already, so the
                // call stays and its arguments are mapped first.
                if (_table.FindBaseConstructor(definition) is not { } prepare)
                {
                    _findings.Add(new Finding(FindingKind.NotRedirected, method.FullName, UnsupportedUsageScan.SourceOf(method, instruction),
                        $"{called.DeclaringType.FullName}::.ctor called as a base constructor is not redirected"));
                    return false;
                }
                PrepareBaseConstructorCall(il, instruction, called, _module.ImportReference(prepare.Shim));
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

    /// <summary>Turns <c>call Base::.ctor(a, b, …)</c> into: store the arguments in new locals, call the
    /// preparing shim with them (by reference where it takes them so), load them again, call the constructor.
    /// The call instruction itself becomes the first store, so a branch to it (the end of a conditional
    /// argument) still passes through the whole sequence.</summary>
    private static void PrepareBaseConstructorCall(ILProcessor il, Instruction instruction, MethodReference constructor, MethodReference prepare)
    {
        var locals = new VariableDefinition[constructor.Parameters.Count];
        for (var i = 0; i < locals.Length; i++)
        {
            locals[i] = new VariableDefinition(constructor.Parameters[i].ParameterType);
            il.Body.Variables.Add(locals[i]);
        }
        var sequence = new List<Instruction>();
        for (var i = locals.Length - 1; i >= 0; i--)
        {
            sequence.Add(il.Create(OpCodes.Stloc, locals[i]));
        }
        for (var i = 0; i < locals.Length; i++)
        {
            sequence.Add(il.Create(prepare.Parameters[i].ParameterType.IsByReference ? OpCodes.Ldloca : OpCodes.Ldloc, locals[i]));
        }
        sequence.Add(il.Create(OpCodes.Call, prepare));
        for (var i = 0; i < locals.Length; i++)
        {
            sequence.Add(il.Create(OpCodes.Ldloc, locals[i]));
        }
        sequence.Add(il.Create(OpCodes.Call, constructor));
        instruction.OpCode = sequence[0].OpCode;
        instruction.Operand = sequence[0].Operand;
        var previous = instruction;
        foreach (var next in sequence.Skip(1))
        {
            il.InsertAfter(previous, next);
            previous = next;
        }
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
