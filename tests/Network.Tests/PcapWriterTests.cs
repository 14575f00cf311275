using VirtualizationWorkbench.Network.Capture;
using VirtualizationWorkbench.Network.Ethernet;
using VirtualizationWorkbench.Network.Scenarios;
using VirtualizationWorkbench.Tests;

namespace VirtualizationWorkbench.Network.Tests;

public class PcapWriterTests
{
    [Test]
    [Category(TestCategories.EndToEnd)]
    public void Tshark_Decodes_Tagged_And_Untagged_Frames_With_Their_Times()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("wb-pcap-").FullName, "t.pcap");
        using (var file = File.Create(path))
        {
            var pcap = new PcapWriter(file, 100);
            pcap.Write(Frames.Tagged(MacAddress.Broadcast, Frames.Mac(1), 64, new Dot1QTag(5, true, 7)), 10);
            pcap.Write(Frames.Untagged(Frames.Mac(2), Frames.Mac(3), 60), 12_345);
            pcap.Write(Frames.Tagged(Frames.Mac(1), Frames.Mac(4), 1518, new Dot1QTag(0, false, 4094)), 20_000);
        }
        var rows = Tshark.Fields(path, ["frame.number", "frame.time_epoch", "frame.len", "eth.src", "vlan.id", "vlan.priority", "vlan.dei", "eth.type"]);
        Assert.That(rows.Select(r => string.Join(' ', r[..5])), Is.EqualTo(new[]
        {
            "1 0.001000000 64 02:00:00:00:00:01 7",
            "2 1.234500000 60 02:00:00:00:00:03 ",
            "3 2.000000000 1518 02:00:00:00:00:04 4094",
        }));
        Assert.That((rows[0][5], rows[0][6]), Is.EqualTo(("5", "1")), "priority and DEI");
        Assert.That(rows[1][7], Is.EqualTo("0x88b5"));
        Directory.Delete(Path.GetDirectoryName(path)!, true);
    }

    [Test]
    [Category(TestCategories.EndToEnd)]
    public void Reading_A_Capture_Back_Gives_What_Tshark_Decodes_Frame_By_Frame()
    {
        // Lab scripts read captures with PcapReader and ask students what tshark shows: the two must agree.
        var run = new ScenarioRun(BuiltInScenarios.Find("telekom-entertain")!, new ProgramFiles(null));
        run.Capture([new PortRef("isp", 1)]);
        run.Run(100);
        var bytes = run.Captures["isp.1"];
        var path = Path.Combine(Directory.CreateTempSubdirectory("wb-pcap-").FullName, "isp.1.pcap");
        File.WriteAllBytes(path, bytes);
        var ours = PcapReader.Read(bytes, "isp.1.pcap").Select(r =>
        {
            var tagged = Dot1QTag.TryRead(r.Frame, out var tag);
            return string.Join(' ', r.Number, $"{r.Microseconds / 1e6:0.000000000}", r.Frame.Length, EthernetFrame.Source(r.Frame), EthernetFrame.Destination(r.Frame),
                tagged ? $"{tag.Vid} {tag.Pcp} {(tag.Dei ? 1 : 0)}" : "  ");
        }).ToList();
        var tshark = Tshark.Fields(path, ["frame.number", "frame.time_epoch", "frame.len", "eth.src", "eth.dst", "vlan.id", "vlan.priority", "vlan.dei"]).Select(r => string.Join(' ', r)).ToList();
        Assert.That(ours, Has.Count.GreaterThan(5));
        Assert.That(ours.Select(o => o.Split(' ')[5]).Distinct().Order(), Is.EqualTo(new[] { "7", "8" }), "both VLANs are in the sample");
        Assert.That(ours, Is.EqualTo(tshark));
        Directory.Delete(Path.GetDirectoryName(path)!, true);
    }

    [Test]
    public void A_Cut_Off_Capture_Is_Refused_With_Where()
    {
        var stream = new MemoryStream();
        var pcap = new PcapWriter(stream, 100);
        pcap.Write(Frames.Untagged(Frames.Mac(2), Frames.Mac(3), 60), 1);
        pcap.Write(Frames.Untagged(Frames.Mac(2), Frames.Mac(3), 60), 2);
        var whole = stream.ToArray();
        Assert.That(PcapReader.Read(whole, "t.pcap").Select(r => (r.Number, r.Microseconds, r.Frame.Length)), Is.EqualTo(new[] { (1, 100L, 60), (2, 200L, 60) }));
        Assert.That(Assert.Throws<InvalidDataException>(() => PcapReader.Read(whole[..^1], "t.pcap"))!.Message,
            Is.EqualTo("t.pcap: frame 2 at byte 100 claims 60 bytes; the file has 59 left"));
        whole[20] = 105;
        Assert.That(Assert.Throws<InvalidDataException>(() => PcapReader.Read(whole, "t.pcap"))!.Message, Is.EqualTo("t.pcap: link type 105, not Ethernet (1)"));
    }
}
