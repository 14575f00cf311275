using VirtualizationWorkbench.Sandbox.FileSystem;
using VirtualizationWorkbench.Sandbox.Paths;

namespace VirtualizationWorkbench.Sandbox.Tests.FileSystem;

public sealed class IsolationPolicyTests
{
    [Test]
    public void The_Nearest_Rule_Above_A_Folder_Should_Decide()
    {
        var policy = new IsolationPolicy(IsolationMode.WriteCopy, new Dictionary<string, IsolationMode>
        {
            [@"%AppData%\App"] = IsolationMode.Full,
            ["%AppData%/App/Shared"] = IsolationMode.Merged,
        });

        Assert.Multiple(() =>
        {
            Assert.That(policy.ModeOf(VirtualLocation.ParseKey("%AppData%/Other")), Is.EqualTo(IsolationMode.WriteCopy));
            Assert.That(policy.ModeOf(VirtualLocation.ParseKey("%AppData%/App/x/y")), Is.EqualTo(IsolationMode.Full));
            Assert.That(policy.ModeOf(VirtualLocation.ParseKey("%AppData%/App/Shared/z")), Is.EqualTo(IsolationMode.Merged));
            Assert.That(policy.ModeOf(VirtualLocation.ParseKey("%AppData%/Application")), Is.EqualTo(IsolationMode.WriteCopy));
        });
    }

    [Test]
    public void The_Systems_Own_Views_Are_Never_Hidden_On_Linux()
    {
        Assume.That(OperatingSystem.IsLinux(), "/proc, /sys and /dev are Linux's");
        var policy = new IsolationPolicy(IsolationMode.Full, new Dictionary<string, IsolationMode> { ["%Drive_Root%/dev"] = IsolationMode.Merged });

        Assert.Multiple(() =>
        {
            Assert.That(policy.ModeOf(VirtualLocation.ParseKey("%Drive_Root%/proc/self/cmdline")), Is.EqualTo(IsolationMode.WriteCopy));
            Assert.That(policy.ModeOf(VirtualLocation.ParseKey("%Drive_Root%/sys")), Is.EqualTo(IsolationMode.WriteCopy));
            Assert.That(policy.ModeOf(VirtualLocation.ParseKey("%Drive_Root%/dev/null")), Is.EqualTo(IsolationMode.Merged), "a rule that shows more stands");
            Assert.That(policy.ModeOf(VirtualLocation.ParseKey("%Drive_Root%/processes")), Is.EqualTo(IsolationMode.Full));
            Assert.That(policy.ModeOf(VirtualLocation.ParseKey("%Drive_Root%/etc/passwd")), Is.EqualTo(IsolationMode.Full));
            Assert.That(policy.ModeOf(VirtualLocation.ParseKey("%Profile%/proc")), Is.EqualTo(IsolationMode.Full));
        });
    }

    [Test]
    public void Keys_With_Dot_Dot_Should_Be_Refused()
    {
        Assert.Throws<ArgumentException>(() => VirtualLocation.ParseKey("%AppData%/../etc/passwd"));
    }
}
