using Mono.Cecil;
using VirtualizationWorkbench.Sandbox.Redirects;

namespace VirtualizationWorkbench.Packager.Rewriting;

/// <summary>The one table of redirected members, read from the Sandbox assembly's shim classes (see
/// <see cref="RedirectsCallsToAttribute"/> and <see cref="SubstitutesTypeAttribute"/>). Rows are keyed by the
/// full name of the framework member's <em>resolved definition</em>, so a call compiled against
/// <c>System.Runtime</c>, <c>netstandard</c> or <c>System.Private.CoreLib</c> finds the same row, and an
/// application's own type that happens to be called <c>System.IO.File</c> finds none.</summary>
public sealed class RedirectionTable
{
    private readonly Dictionary<string, Redirect> _methods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Redirect> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Redirect> _baseConstructors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TypeDefinition> _substitutes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _watchedTypes = new(StringComparer.Ordinal);

    private RedirectionTable(ModuleDefinition sandbox)
    {
        Sandbox = sandbox;
    }

    /// <summary>The Sandbox module the shims live in.</summary>
    public ModuleDefinition Sandbox { get; }

    /// <summary>Every row, for reports and tests.</summary>
    public IEnumerable<Redirect> Rows => _methods.Values.Concat(_fields.Values).Concat(_baseConstructors.Values);

    /// <summary>The framework types with at least one redirected member: calls to their other members are
    /// reported, because they may reach the host unguarded.</summary>
    public IReadOnlyCollection<string> WatchedTypes => _watchedTypes;

    /// <summary>Builds the table from the Sandbox assembly at <paramref name="sandboxAssemblyPath"/>.</summary>
    /// <exception cref="InvalidOperationException">A shim matches no framework member: the table and the
    /// framework disagree, and the packager refuses to run with a table that silently lost a row.</exception>
    public static RedirectionTable Load(string sandboxAssemblyPath, IAssemblyResolver resolver)
    {
        var module = ModuleDefinition.ReadModule(sandboxAssemblyPath, new ReaderParameters { AssemblyResolver = resolver, InMemory = true });
        var table = new RedirectionTable(module);
        foreach (var shimType in module.Types)
        {
            foreach (var attribute in shimType.CustomAttributes.Where(attribute => attribute.AttributeType.Name is nameof(RedirectsCallsToAttribute) or nameof(SubstitutesTypeAttribute)))
            {
                var target = ((TypeReference)attribute.ConstructorArguments[0].Value).Resolve()
                    ?? throw new InvalidOperationException($"{shimType.FullName}: cannot resolve its target type.");
                switch (attribute.AttributeType.Name)
                {
                    case nameof(RedirectsCallsToAttribute):
                        table.AddCallShims(shimType, target);
                        break;
                    case nameof(SubstitutesTypeAttribute):
                        table.AddSubstitute(shimType, target);
                        break;
                }
            }
        }
        return table;
    }

    /// <summary>The row for a method, or null.</summary>
    public Redirect? Find(MethodDefinition original) => _methods.GetValueOrDefault(original.FullName);

    /// <summary>The row preparing a call of <paramref name="constructor"/> as a base constructor, or null.</summary>
    public Redirect? FindBaseConstructor(MethodDefinition constructor) => _baseConstructors.GetValueOrDefault(constructor.FullName);

    /// <summary>The row for a static field, or null.</summary>
    public Redirect? Find(FieldDefinition original) => _fields.GetValueOrDefault(original.FullName);

    /// <summary>The type that replaces <paramref name="original"/>, or null.</summary>
    public TypeDefinition? SubstituteFor(TypeDefinition original) => _substitutes.GetValueOrDefault(original.FullName);

    /// <summary>Whether any type is substituted (most modules need no type walk at all).</summary>
    public IReadOnlyCollection<string> SubstitutedTypeNames => _substitutes.Keys;

    private void AddCallShims(TypeDefinition shimType, TypeDefinition target)
    {
        _watchedTypes.Add(target.FullName);
        foreach (var shim in shimType.Methods.Where(method => method.IsPublic && method.IsStatic))
        {
            var parameters = Signature(shim.Parameters);
            var staticMatch = target.Methods.FirstOrDefault(method => method.IsStatic && !method.IsConstructor && method.Name == shim.Name && Signature(method.Parameters) == parameters);
            if (staticMatch is not null)
            {
                Add(_methods, new Redirect(RedirectKind.StaticCall, staticMatch.FullName, shim));
                continue;
            }
            if (shim.Name == "PrepareBase" && shim.ReturnType.FullName == "System.Void")
            {
                var constructor = target.Methods.FirstOrDefault(method => method.IsConstructor && !method.IsStatic && Signature(method.Parameters) == SignatureWithoutReferences(shim.Parameters))
                    ?? throw Mismatch(shim, target, "no constructor has these parameters");
                Add(_baseConstructors, new Redirect(RedirectKind.BaseConstructor, constructor.FullName, shim));
                continue;
            }
            if (shim.Name == "New" && shim.ReturnType.FullName == target.FullName)
            {
                var constructor = target.Methods.FirstOrDefault(method => method.IsConstructor && !method.IsStatic && Signature(method.Parameters) == parameters)
                    ?? throw Mismatch(shim, target, "no constructor has these parameters");
                Add(_methods, new Redirect(RedirectKind.Constructor, constructor.FullName, shim));
                continue;
            }
            if (shim.Parameters.Count > 0 && IsSelfOrBase(target, shim.Parameters[0].ParameterType))
            {
                var rest = Signature(shim.Parameters.Skip(1));
                var instanceMatch = target.Methods.FirstOrDefault(method => !method.IsStatic && method.Name == shim.Name && Signature(method.Parameters) == rest);
                if (instanceMatch is not null)
                {
                    Add(_methods, new Redirect(RedirectKind.InstanceCall, instanceMatch.FullName, shim));
                    continue;
                }
            }
            if (shim.Name.StartsWith("get_", StringComparison.Ordinal) && shim.Parameters.Count == 0
                && target.Fields.FirstOrDefault(field => field.IsStatic && field.Name == shim.Name[4..]) is { } field)
            {
                Add(_fields, new Redirect(RedirectKind.FieldLoad, field.FullName, shim));
                continue;
            }
            throw Mismatch(shim, target, "no member has this name and these parameters");
        }
    }

    private void AddSubstitute(TypeDefinition substitute, TypeDefinition target)
    {
        _watchedTypes.Add(target.FullName);
        _substitutes[target.FullName] = substitute;
        foreach (var original in target.Methods.Where(method => method.IsPublic))
        {
            var parameters = Signature(original.Parameters, target.FullName, substitute.FullName);
            var match = substitute.Methods.FirstOrDefault(method => method.IsPublic && method.Name == original.Name
                && method.IsStatic == original.IsStatic && Signature(method.Parameters) == parameters);
            if (match is not null)
            {
                Add(_methods, new Redirect(RedirectKind.SubstitutedMember, original.FullName, match));
            }
        }
    }

    private static void Add(Dictionary<string, Redirect> rows, Redirect row)
    {
        if (!rows.TryAdd(row.Original, row))
        {
            throw new InvalidOperationException($"{row.Original} is redirected twice: to {rows[row.Original].Shim.FullName} and {row.Shim.FullName}.");
        }
    }

    private static bool IsSelfOrBase(TypeDefinition target, TypeReference candidate)
    {
        for (TypeDefinition? type = target; type is not null; type = type.BaseType?.Resolve())
        {
            if (type.FullName == candidate.FullName)
            {
                return true;
            }
        }
        return false;
    }

    private static string Signature(IEnumerable<ParameterDefinition> parameters, string? from = null, string? to = null) =>
        string.Join(",", parameters.Select(parameter => from is null ? parameter.ParameterType.FullName : parameter.ParameterType.FullName.Replace(from, to, StringComparison.Ordinal)));

    /// <summary>The signature with <c>ref</c> parameters read as the types they refer to.</summary>
    private static string SignatureWithoutReferences(IEnumerable<ParameterDefinition> parameters) =>
        string.Join(",", parameters.Select(parameter => (parameter.ParameterType is ByReferenceType reference ? reference.ElementType : parameter.ParameterType).FullName));

    private static InvalidOperationException Mismatch(MethodDefinition shim, TypeDefinition target, string problem) =>
        new($"The shim {shim.FullName} stands for nothing in {target.FullName}: {problem}. Fix the shim or remove it.");
}
