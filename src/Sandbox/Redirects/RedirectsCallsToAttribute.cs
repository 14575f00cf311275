namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Marks a class whose public static methods stand in for members of <see cref="Target"/>; the packager
/// builds its table of redirected members from these classes. A shim method matches, by name and parameter types:
/// <list type="bullet">
/// <item>a static method of the target with the same parameters;</item>
/// <item>an instance method of the target, when the shim's first parameter is the instance (the target type or a
/// base of it) and the rest are the method's parameters;</item>
/// <item>a constructor, when the shim is named <c>New</c> and returns the target type;</item>
/// <item>a static field, when the shim is named <c>get_FIELD</c> and has no parameters.</item>
/// </list>
/// A shim that matches nothing is an error when the table is built, so the table cannot silently shrink.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class RedirectsCallsToAttribute(Type target) : Attribute
{
    /// <summary>The framework type whose members are redirected.</summary>
    public Type Target { get; } = target;
}

/// <summary>Marks a class that replaces <see cref="Target"/> wherever the application names it (fields, locals,
/// signatures), with members of the same names and signatures. Used for <c>Microsoft.Win32.RegistryKey</c>,
/// which is sealed and cannot be created on Linux.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SubstitutesTypeAttribute(Type target) : Attribute
{
    /// <summary>The framework type that is replaced.</summary>
    public Type Target { get; } = target;
}
