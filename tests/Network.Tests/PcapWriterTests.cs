using VirtualizationWorkbench.Network.Capture;
using VirtualizationWorkbench.Network.Ethernet;
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
}
