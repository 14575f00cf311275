using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;

namespace VirtualizationWorkbench.Partitioning.Tests;

public sealed class PartitionFirmwareTests
{
    internal static PartitionFirmware Machine(int megabytes = 2, int cores = 4) =>
        new(new MachineConfiguration { MemorySize = (uint)megabytes * 1024 * 1024, Cores = cores });

    internal static PartitionProfile Profile(string name, int blocks = 4, int cores = 1, int? first = null) =>
        new() { Name = name, MinBlocks = 1, DesiredBlocks = blocks, MaxBlocks = 48, MinCores = 1, DesiredCores = cores, MaxCores = 4, FirstBlock = first };

    [Test]
    public void Two_Partitions_Run_Their_Own_Guests_With_Their_Own_Consoles()
    {
        var firmware = Machine();
        var a = firmware.Activate(Profile("a"), PartitionGuests.Lpar);
        var b = firmware.Activate(Profile("b", 6), PartitionGuests.Lpar);
        PartitionGuests.SetWorkload(firmware, a, GuestWorkload.Moderate with { PrintEvery = 20 });
        PartitionGuests.SetWorkload(firmware, b, GuestWorkload.Moderate with { PrintEvery = 10 });
        firmware.Run(300_000);
        Assert.Multiple(() =>
        {
            Assert.That(a.State, Is.EqualTo(PartitionState.Running), a.Fault);
            Assert.That(b.State, Is.EqualTo(PartitionState.Running), b.Fault);
            Assert.That(a.Console, Does.StartWith("tick 0\ntick 1\n"));
            Assert.That(b.Console.Length, Is.GreaterThan(a.Console.Length), "b prints twice as often");
            Assert.That(a.Blocks, Is.EqualTo(new[] { 1, 2, 3, 4 }));
            Assert.That(b.Blocks, Is.EqualTo(new[] { 5, 6, 7, 8, 9, 10 }));
        });
    }

    [Test]
    public void A_Guest_Reaching_Outside_Its_Partition_Faults_And_Nothing_Outside_Changes()
    {
        var firmware = Machine();
        var a = firmware.Activate(Profile("a"), PartitionGuests.Lpar);
        firmware.Run(50_000);
        firmware.Suspend(a);
        // r2 is the partition's memory size: the first address past its end; then an address in a's memory.
        var reach = Assembler.AssembleText(".org 0x1000\nli r4, 0x12345678\nst [r2], r4\nhlt\n");
        var b = firmware.Activate(Profile("b", 2), reach);
        var before = firmware.HashOutside(b);
        firmware.Run(1000);
        Assert.Multiple(() =>
        {
            Assert.That(b.State, Is.EqualTo(PartitionState.Faulted));
            Assert.That(b.Fault, Does.Contain("reached logical address 0x00020000 (write)").And.Contain("outside its 128 KiB"));
            Assert.That(firmware.HashOutside(b), Is.EqualTo(before));
        });
    }

    [Test]
    public void Bad_Profiles_Are_Refused_Saying_What_And_Where_And_Nothing_Changes()
    {
        var firmware = Machine(2, 2);
        var a = firmware.Activate(Profile("a", 4, first: 2), PartitionGuests.Lpar);
        Assert.Multiple(() =>
        {
            Assert.That(Refusal(firmware, Profile("big", 40)), Is.EqualTo("profile 'big': desired 40 memory blocks (2560 KiB), but the machine has 31 for partitions; ask for at most 31"));
            Assert.That(Refusal(firmware, Profile("wide", 2, cores: 3)), Is.EqualTo("profile 'wide': desired 3 cores, but the machine has 2; ask for at most 2"));
            Assert.That(Refusal(firmware, Profile("over", 3, first: 4)), Does.StartWith("profile 'over': blocks 4-6 overlap partition 'a' (it has blocks 2, 3, 4, 5)"));
            Assert.That(Refusal(firmware, Profile("odd", 4) with { MinBlocks = 5 }), Is.EqualTo("profile 'odd': memory blocks must be minimum ≤ desired ≤ maximum, not 5 / 4 / 48"));
            Assert.That(Refusal(firmware, Profile("disk", 2) with { Devices = ["disk"] }), Does.StartWith("profile 'disk': no device 'disk' (devices a partition can own: clock)"));
            Assert.That(Refusal(firmware, Profile("a", 2)), Does.StartWith("a partition named 'a' exists already"));
            Assert.That(firmware.Partitions, Is.EqualTo(new[] { a }));
            Assert.That(firmware.FreeBlocks, Is.EqualTo(27));
        });
    }

    [Test]
    public void A_Device_Belongs_To_One_Partition_And_The_Other_Faults_On_It()
    {
        var firmware = Machine(2, 3);
        var reader = Assembler.AssembleText(".org 0x1000\nin r4, 0x70\nli r5, 1\nhlt\n");
        var owner = firmware.Activate(Profile("owner", 2) with { Devices = ["clock"] }, reader);
        var other = firmware.Activate(Profile("other", 2), reader);
        Assert.That(Refusal(firmware, Profile("third", 2) with { Devices = ["clock"] }), Is.EqualTo("profile 'third': the clock belongs to partition 'owner' already"));
        firmware.Run(100);
        Assert.Multiple(() =>
        {
            Assert.That(owner.State, Is.EqualTo(PartitionState.Halted), owner.Fault);
            Assert.That(owner.Cores[0].GuestState.R[5], Is.EqualTo(1u), "the owner read its clock and went on");
            Assert.That(other.State, Is.EqualTo(PartitionState.Faulted));
            Assert.That(other.Fault, Does.Contain("touched port 0x70 (clock)").And.Contain("which belongs to partition 'owner'"));
        });
    }

    [TestCase("li r1, 0x2000\nout 0x1F1, r1", "touched port 0x1f1 (disk)", "is the machine's disk, which no partition can own")]
    [TestCase("in r4, 0x307", "touched port 0x307 (nic)", "is the machine's nic, which no partition can own")]
    public void The_Machines_Disk_And_Network_Card_Are_Out_Of_Every_Partitions_Reach(string access, string port, string why)
    {
        var firmware = Machine(2, 1);
        var partition = firmware.Activate(Profile("p", 2), Assembler.AssembleText($".org 0x1000\n{access}\nli r5, 1\nhlt\n"));
        firmware.Run(100);
        Assert.Multiple(() =>
        {
            Assert.That(partition.State, Is.EqualTo(PartitionState.Faulted));
            Assert.That(partition.Fault, Does.Contain(port).And.Contain(why));
            Assert.That(partition.Cores[0].GuestState.R[5], Is.Zero, "it went no further");
            Assert.That(firmware.Machine.Disk.Read(1, 4), Is.Zero, "the machine's disk never saw the address");
        });
    }

    [Test]
    public void A_Virtual_Device_Serves_Its_Partitions_Ports_And_No_Other_Partitions()
    {
        var firmware = Machine(2, 2);
        var program = Assembler.AssembleText(".org 0x1000\nli r1, 41\nout 0x500, r1\nin r6, 0x501\nhlt\n");
        var withDevice = firmware.Activate(Profile("with", 2), program);
        var without = firmware.Activate(Profile("without", 2), program);
        var device = new Adder();
        firmware.Attach(withDevice, device);
        Assert.That(Assert.Throws<PartitionError>(() => firmware.Attach(without, new Adder { Ports = (0x3F9, 2) }))!.Message,
            Is.EqualTo("attach adder at ports 0x3f9-0x3fa to partition 'without': those are the console's ports (its virtual terminal); choose other ports"));
        Assert.That(Assert.Throws<PartitionError>(() => firmware.Attach(withDevice, new Adder { Ports = (0x501, 1) }))!.Message, Does.EndWith("its adder is there already; choose other ports"));
        firmware.Run(100);
        Assert.Multiple(() =>
        {
            Assert.That(withDevice.State, Is.EqualTo(PartitionState.Halted), withDevice.Fault);
            Assert.That(withDevice.Cores[0].GuestState.R[6], Is.EqualTo(42u), "the firmware handed the out and the in to its device");
            Assert.That(without.State, Is.EqualTo(PartitionState.Faulted), "port 0x500 is nothing to the other partition");
            Assert.That(device.Partitions, Is.EqualTo(new[] { "with", "with" }));
        });
    }

    [Test]
    public void A_Virtual_Devices_Write_To_Memory_Brings_A_Missing_Page_In_First_And_Marks_It_Dirty()
    {
        var firmware = Machine(2, 1);
        // The guest has the device fill the last page of its memory, then reads it.
        var program = Assembler.AssembleText(".org 0x1000\nli r1, 0x1F000\nout 0x500, r1\nld r6, [r1]\nhlt\n");
        var partition = firmware.Activate(Profile("p", 2), program);
        firmware.Attach(partition, new Adder());
        var pages = new StalePages(firmware);
        partition.Table.Unmap(31);
        partition.MissingPages = pages;
        partition.DirtyLogging = true;
        firmware.Run(100);
        Assert.Multiple(() =>
        {
            Assert.That(partition.State, Is.EqualTo(PartitionState.Halted), partition.Fault);
            Assert.That(pages.Brought, Is.EqualTo(new[] { 31 }), "brought in once, before the device wrote it");
            Assert.That(partition.Cores[0].GuestState.R[6], Is.EqualTo(0xABABABABu), "the device's bytes, not the stale copy over them");
            Assert.That(partition.Dirty[31], Is.True, "a page a device writes is dirty, as one the guest writes");
        });
    }

    /// <summary>Missing pages whose copy elsewhere is stale: bringing one in fills it with 0x11.</summary>
    private sealed class StalePages(PartitionFirmware firmware) : IMissingPages
    {
        public List<int> Brought { get; } = [];

        public bool BringIn(LogicalPartition partition, int page, VirtualizationWorkbench.Machine.Core core)
        {
            firmware.PageOf(partition, page).Fill(0x11);
            partition.Table.Map(page, firmware.MachineAddress(partition, (uint)page * 4096));
            Brought.Add(page);
            return true;
        }
    }

    /// <summary>A virtual device that adds one to what it was given.</summary>
    private sealed class Adder : IVirtualDevice
    {
        private uint value;
        public string Name => "adder";
        public (uint First, uint Count) Ports { get; init; } = (0x500, 2);
        public List<string> Partitions { get; } = [];
        public uint Read(VirtualIo io, uint offset)
        {
            Partitions.Add(io.Partition.Name);
            return value + 1;
        }
        public void Write(VirtualIo io, uint offset, uint value)
        {
            Partitions.Add(io.Partition.Name);
            this.value = value;
            // An address in the partition's last block: fill a page there, as a disk's read does.
            if (value >= 0x10000) io.WriteMemory(value, Enumerable.Repeat((byte)0xAB, 4096).ToArray());
        }
        public string? CannotMoveTo(PartitionFirmware target) => "is a test device";
        public IVirtualDevice MoveTo(PartitionFirmware target) => throw new InvalidOperationException();
        public void Detach()
        {
        }
    }

    private static string Refusal(PartitionFirmware firmware, PartitionProfile profile) =>
        Assert.Throws<PartitionError>(() => firmware.Activate(profile, PartitionGuests.Lpar))!.Message;
}
