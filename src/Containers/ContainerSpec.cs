using VirtualizationWorkbench.Containers.ControlGroups;

namespace VirtualizationWorkbench.Containers;

/// <summary>What to start: <c>docker run --name NAME --hostname HOST --memory ... IMAGE COMMAND</c>.</summary>
/// <param name="Name">The container's name (lower-case letters, digits and '-').</param>
/// <param name="Image">The image to start from (<see cref="Filesystem.ImageStore"/>).</param>
/// <param name="Command">The program its init runs, a path inside the image.</param>
/// <param name="Hostname">Its hostname; the name when null.</param>
/// <param name="Limits">Its control group's limits.</param>
/// <param name="Bridge">Whether its network namespace gets an address on the kernel's bridge (else loopback only).</param>
public sealed record ContainerSpec(string Name, string Image = "base", string Command = "/bin/service", string? Hostname = null,
    ResourceLimits? Limits = null, bool Bridge = false);
