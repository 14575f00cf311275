using Mono.Cecil;
using Mono.Cecil.Cil;

namespace VirtualizationWorkbench.Packager.Rewriting;

/// <summary>Replaces a framework type by its Sandbox substitute (<c>RegistryKey</c> → <c>SandboxRegistryKey</c>)
/// everywhere the module names it: fields, signatures, locals, properties, and type and member operands
/// (<c>List&lt;RegistryKey&gt;</c> included). Calls of the substituted type's own members are left to the call
/// rewriting, which maps them through the table and reports those it cannot.</summary>
internal sealed class TypeSubstitution(ModuleDefinition module, RedirectionTable table)
{
    private readonly Dictionary<string, TypeReference> _imported = new(StringComparer.Ordinal);

    public void Execute()
    {
        foreach (var type in module.GetTypes())
        {
            foreach (var field in type.Fields)
            {
                field.FieldType = Substitute(field.FieldType);
            }
            foreach (var property in type.Properties)
            {
                property.PropertyType = Substitute(property.PropertyType);
            }
            foreach (var method in type.Methods)
            {
                method.ReturnType = Substitute(method.ReturnType);
                foreach (var parameter in method.Parameters)
                {
                    parameter.ParameterType = Substitute(parameter.ParameterType);
                }
                if (!method.HasBody)
                {
                    continue;
                }
                foreach (var variable in method.Body.Variables)
                {
                    variable.VariableType = Substitute(variable.VariableType);
                }
                foreach (var instruction in method.Body.Instructions)
                {
                    instruction.Operand = instruction.Operand switch
                    {
                        TypeReference operand => Substitute(operand),
                        MethodReference operand when operand is not MethodDefinition && !IsSubstituted(operand.DeclaringType) => Substitute(operand),
                        FieldReference operand when operand is not FieldDefinition => Substitute(operand),
                        var other => other,
                    };
                }
            }
        }
    }

    private bool IsSubstituted(TypeReference type) => Replacement(type) is not null;

    private TypeReference? Replacement(TypeReference type)
    {
        if (type is TypeSpecification or GenericParameter || !table.SubstitutedTypeNames.Contains(type.FullName))
        {
            return null;
        }
        var definition = type.Resolve();
        if (definition is null || !FrameworkAssemblies.Defines(definition) || table.SubstituteFor(definition) is not { } substitute)
        {
            return null;
        }
        if (!_imported.TryGetValue(substitute.FullName, out var imported))
        {
            imported = module.ImportReference(substitute);
            _imported[substitute.FullName] = imported;
        }
        return imported;
    }

    private TypeReference Substitute(TypeReference type)
    {
        switch (type)
        {
            case GenericInstanceType generic:
                var element = Substitute(generic.ElementType);
                var arguments = generic.GenericArguments.Select(Substitute).ToList();
                if (element == generic.ElementType && arguments.SequenceEqual(generic.GenericArguments))
                {
                    return type;
                }
                var result = new GenericInstanceType(element);
                arguments.ForEach(result.GenericArguments.Add);
                return result;
            case ArrayType array:
                var arrayElement = Substitute(array.ElementType);
                return arrayElement == array.ElementType ? type : new ArrayType(arrayElement, array.Rank);
            case ByReferenceType byReference:
                var referenced = Substitute(byReference.ElementType);
                return referenced == byReference.ElementType ? type : new ByReferenceType(referenced);
            default:
                return Replacement(type) ?? type;
        }
    }

    private MethodReference Substitute(MethodReference method)
    {
        if (method is GenericInstanceMethod genericMethod)
        {
            var element = Substitute(genericMethod.ElementMethod);
            var arguments = genericMethod.GenericArguments.Select(Substitute).ToList();
            if (element == genericMethod.ElementMethod && arguments.SequenceEqual(genericMethod.GenericArguments))
            {
                return method;
            }
            var result = new GenericInstanceMethod(element);
            arguments.ForEach(result.GenericArguments.Add);
            return result;
        }
        var declaring = Substitute(method.DeclaringType);
        var returnType = Substitute(method.ReturnType);
        var parameters = method.Parameters.Select(parameter => Substitute(parameter.ParameterType)).ToList();
        if (declaring == method.DeclaringType && returnType == method.ReturnType && parameters.SequenceEqual(method.Parameters.Select(parameter => parameter.ParameterType)))
        {
            return method;
        }
        var copy = new MethodReference(method.Name, returnType, declaring)
        {
            HasThis = method.HasThis,
            ExplicitThis = method.ExplicitThis,
            CallingConvention = method.CallingConvention,
        };
        foreach (var genericParameter in method.GenericParameters)
        {
            copy.GenericParameters.Add(new GenericParameter(genericParameter.Name, copy));
        }
        parameters.ForEach(parameter => copy.Parameters.Add(new ParameterDefinition(parameter)));
        return copy;
    }

    private FieldReference Substitute(FieldReference field)
    {
        var declaring = Substitute(field.DeclaringType);
        var fieldType = Substitute(field.FieldType);
        return declaring == field.DeclaringType && fieldType == field.FieldType ? field : new FieldReference(field.Name, fieldType, declaring);
    }
}
