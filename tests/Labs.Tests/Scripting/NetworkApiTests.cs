namespace VirtualizationWorkbench.Labs.Tests.Scripting;

/// <summary><c>lab.network(file)</c>'s captures, as lab 10's tshark step reads them: <c>net.capture(port)</c> before
/// the run, <c>net.frames(port)</c> after it.</summary>
public sealed class NetworkApiTests
{
    private string work = "";

    [SetUp]
    public void WriteScenario()
    {
        work = Directory.CreateTempSubdirectory("wb-net-api-").FullName;
        // A guest VLAN sub-interface (VLAN 30, priority 6) on a trunk pings a plain machine on an access port.
        File.WriteAllText(Path.Combine(work, "sub.net"), """
            duration 5ms
            switch sw ports=2
            port sw.1 trunk allowed=30,31
            port sw.2 access vlan=30
            machine tagger port=sw.1 program=ping peer=plain vlan=30 pcp=6 count=3
            machine plain port=sw.2 program=echo
            """);
    }

    [TearDown]
    public void Remove() => Directory.Delete(work, recursive: true);

    [Test]
    public void A_Script_Reads_A_Ports_Capture_Frame_By_Frame_With_Its_Tags()
    {
        var result = ScriptLab.Check("""
            const net = lab.network("sub.net");
            net.capture("sw.1");
            net.runToEnd();
            const frames = net.frames("sw.1");
            const port = net.port("sw.1");
            expect(frames.length, port.received + port.sent, "the trunk's capture holds every frame it received and sent");
            expect(frames.map(f => f.number), [1, 2, 3, 4, 5, 6], "numbered from 1, as tshark does");
            expect(frames.map(f => `${f.src} ${f.tagged} ${f.vid} ${f.pcp} ${f.dei}`).filter((t, i, all) => all.indexOf(t) === i),
              ["02:00:00:00:00:01 true 30 6 0", "02:00:00:00:00:02 true 30 0 0"], "the guest's own tag, then the switch's on the replies");
            expect(frames[0].dst, "02:00:00:00:00:02", "the request is for plain");
            expect(frames[0].length, 60, "the guest sends 60 bytes, its own tag among them");
            check(frames[1].timeUs > frames[0].timeUs, "the reply comes later");
            expect(net.frames("sw.1").length, 6, "asking again reads the same capture");
            solution("q", 42);
            """, work: work);
        Assert.That(result.Error, Is.Null);
        Assert.That(result.Checks.Where(c => !c.Passed).Select(c => c.Message), Is.Empty);
    }

    [TestCase("net.runToEnd(); net.capture(\"sw.1\");", "net.capture('sw.1') before net.run(): a capture holds what the port saw from the start")]
    [TestCase("net.runToEnd(); net.frames(\"sw.2\");", "net.frames('sw.2'): the port is not captured; call net.capture('sw.2') before net.run()")]
    [TestCase("net.capture(\"sw.3\");", "net.capture(port): no connected port 'sw.3' (connected: sw.1, sw.2)")]
    public void Capturing_Wrongly_Fails_The_Step_With_What_To_Do(string calls, string expected)
    {
        var (error, _) = ScriptLab.Failure($"const net = lab.network(\"sub.net\");\n{calls}", work: work);
        Assert.That(error, Does.Contain(expected));
    }
}
