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
    public void Keys_With_Dot_Dot_Should_Be_Refused()
    {
        Assert.Throws<ArgumentException>(() => VirtualLocation.ParseKey("%AppData%/../etc/passwd"));
    }
}
