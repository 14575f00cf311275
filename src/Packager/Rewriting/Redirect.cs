using Mono.Cecil;

namespace VirtualizationWorkbench.Packager.Rewriting;

/// <summary>How a framework member is reached and what replaces it.</summary>
public enum RedirectKind
{
    /// <summary>A static method: <c>call</c> (or <c>ldftn</c>) the shim instead.</summary>
    StaticCall,

    /// <summary>An instance method: <c>call</c>/<c>callvirt</c> becomes <c>call</c> of a shim taking the instance first.</summary>
    InstanceCall,

    /// <summary>A constructor: <c>newobj</c> becomes <c>call</c> of a shim returning the object.</summary>
    Constructor,

    /// <summary>A constructor called as a derived class's base constructor (<c>call</c>, not <c>newobj</c>): the
    /// call stays, after a shim taking the same arguments (the path, and the mode, by reference) has mapped them
    /// to the file the sandbox opens.</summary>
    BaseConstructor,

    /// <summary>A static field: <c>ldsfld</c> becomes <c>call</c> of a getter shim.</summary>
    FieldLoad,

    /// <summary>A member of a substituted type: the same instruction on the substitute's member.</summary>
    SubstitutedMember,
}

/// <summary>One row of the <see cref="RedirectionTable"/>.</summary>
/// <param name="Kind">How the member is reached.</param>
/// <param name="Original">The framework member's full name (of its resolved definition).</param>
/// <param name="Shim">The Sandbox method that replaces it.</param>
public sealed record Redirect(RedirectKind Kind, string Original, MethodDefinition Shim);
