using VirtualizationWorkbench.Network.Ethernet;

namespace VirtualizationWorkbench.Network.Tests;

public class Dot1QTagTests
{
    [Test]
    public void Tci_Packs_Priority_Dei_And_Vid_As_The_Standard_Draws_Them()
    {
        Assert.That(new Dot1QTag(5, true, 0x123).Tci, Is.EqualTo((ushort)(5 << 13 | 1 << 12 | 0x123)));
        Assert.That(Dot1QTag.FromTci(0xB07B), Is.EqualTo(new Dot1QTag(5, true, 0x07B)));
    }

    [Test]
    public void Inserting_Puts_Tpid_And_Tci_After_The_Source_And_Stripping_Restores_The_Frame()
    {
        var frame = Frames.Untagged(MacAddress.Broadcast, new MacAddress(0x020000000001), 100);
        var tagged = new Dot1QTag(3, false, 42).InsertInto(frame);
        Assert.That(tagged, Has.Length.EqualTo(104));
        Assert.That(tagged[12..16], Is.EqualTo(new byte[] { 0x81, 0x00, 0x60, 0x2A }));
        Assert.That(tagged[16..], Is.EqualTo(frame[12..]));
        Assert.That(Dot1QTag.TryRead(tagged, out var tag) && tag == new Dot1QTag(3, false, 42), Is.True);
        Assert.That(Dot1QTag.Strip(tagged), Is.EqualTo(frame));
    }

    [Test]
    public void Stripping_A_Minimum_Tagged_Frame_Pads_It_To_60_Bytes()
    {
        var tagged = new Dot1QTag(0, false, 7).InsertInto(Frames.Untagged(MacAddress.Broadcast, new MacAddress(2), 60));
        Assert.That(tagged, Has.Length.EqualTo(64));
        var stripped = Dot1QTag.Strip(tagged[..62]);
        Assert.That(stripped, Has.Length.EqualTo(60));
        Assert.That(stripped[58..], Is.All.EqualTo(0));
    }

    [Test]
    public void An_Untagged_Frame_Has_No_Tag() =>
        Assert.That(Dot1QTag.TryRead(Frames.Untagged(MacAddress.Broadcast, new MacAddress(2), 60), out _), Is.False);

    [Test]
    public void Mac_Addresses_Parse_And_Print_In_Wire_Order()
    {
        Assert.That(MacAddress.TryParse("02:00:00:00:0a:01", out var mac), Is.True);
        Assert.That((mac.Value, mac.ToString(), mac.IsGroup), Is.EqualTo((0x02000000_0A01UL, "02:00:00:00:0a:01", false)));
        Assert.That(MacAddress.Broadcast.IsGroup && MacAddress.TryParse("01:00:5e:00:00:01", out var m) && m.IsGroup, Is.True);
        Assert.That(MacAddress.TryParse("02:00:00:00:0a", out _), Is.False);
    }
}
