using VirtualizationWorkbench.Machine.Devices;

namespace VirtualizationWorkbench.Machine.Tests;

public class DeviceTests
{
    [Test]
    public void Console_Prints_Through_Ports_And_Device_Memory()
    {
        var core = TestMachine.Execute("""
                li r1, 'h'
                out 0x3F8, r1
                li r2, 0xF0000000
                li r1, 'i'
                st [r2], r1
                hlt
            """);
        Assert.That(core.Machine.Console.PendingText, Is.EqualTo("hi"));
    }

    // Output as a guest that prints without end would produce it: a byte sequence with no period that could hide
    // a mix-up of old and new bytes.
    private static byte[] Printed(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static void Print(SerialConsole console, byte[] bytes)
    {
        foreach (var b in bytes) console.Write(0, 1, b);
    }

    [Test]
    public void Console_Keeps_The_Newest_Mebibyte_Of_Undrained_Output_And_Counts_The_Rest_As_Dropped()
    {
        var console = new SerialConsole(_ => { });
        var printed = Printed(16 * SerialConsole.OutputLimit + 123, seed: 1);

        // A hang catcher, not a speed limit: with output removed from the front of a list, every byte past the
        // limit moved a mebibyte, and these 16 MiB took several minutes instead of a fraction of a second.
        var printing = Task.Run(() => Print(console, printed));
        Assert.That(printing.Wait(TimeSpan.FromSeconds(120)), Is.True, "16 MiB of output was taken");

        Assert.That(console.DroppedBytes, Is.EqualTo(printed.Length - SerialConsole.OutputLimit));
        Assert.That(console.Drain(), Is.EqualTo(printed[^SerialConsole.OutputLimit..]), "the newest 1 MiB, oldest first");
        Assert.That(console.Drain(), Is.Empty, "draining took it all");
    }

    [Test]
    public void Console_Output_Drains_In_Order_Across_Wrap_Arounds_And_Snapshots()
    {
        var console = new SerialConsole(_ => { });
        var limit = SerialConsole.OutputLimit;
        var first = Printed(limit + limit / 2 + 7, seed: 2);
        Print(console, first);
        Assert.That(console.Drain(), Is.EqualTo(first[^limit..]));

        // After a drain the oldest byte is no longer at the start of the storage: the next output wraps inside it.
        var second = Printed(limit / 3, seed: 3);
        Print(console, second);
        Assert.That(console.PendingText, Is.EqualTo(System.Text.Encoding.UTF8.GetString(second)));
        Assert.That(console.Drain(), Is.EqualTo(second));

        var third = Printed(limit + 5000, seed: 4);
        Print(console, third);
        var saved = new MemoryStream();
        console.Save(new BinaryWriter(saved));
        var copy = new SerialConsole(_ => { });
        saved.Position = 0;
        copy.Restore(new BinaryReader(saved));
        Assert.That(copy.DroppedBytes, Is.EqualTo(console.DroppedBytes));
        Assert.That(copy.Drain(), Is.EqualTo(third[^limit..]), "a snapshot keeps the order");
        Assert.That(console.Drain(), Is.EqualTo(third[^limit..]));
        Assert.That(console.DroppedBytes, Is.EqualTo(first.Length - limit + third.Length - limit));

        var small = Printed(10, seed: 5);
        Print(copy, small);
        Assert.That(copy.Drain(), Is.EqualTo(small), "the restored console goes on printing");
    }

    [Test]
    public void Console_Input_Reads_Bytes_And_Raises_Its_Interrupt()
    {
        var computer = TestMachine.Boot("""
                li r1, 1
                out 0x3FA, r1        ; interrupt on input
                hlt
                in r2, 0x3F9         ; status
                in r3, 0x3F8
                in r4, 0x3F8
                in r5, 0x3F8
                hlt
            """);
        Assert.That(computer.Run(100).Reason, Is.EqualTo(ExitReason.Halt));
        computer.Console.Feed("ok");
        Assert.That(computer.Cores[0].PendingInterrupts, Is.EqualTo(1u << SerialConsole.Irq));
        computer.Cores[0].Start(computer.Cores[0].State.Pc);
        computer.Run(100);
        var r = computer.Cores[0].State.R;
        Assert.That((r[2] & 1, r[3], r[4], r[5]), Is.EqualTo((1u, (uint)'o', (uint)'k', 0xFFFFFFFFu)));
    }

    [Test]
    public void Timer_Fires_Periodically_On_Virtual_Cycles()
    {
        var computer = TestMachine.Boot("li r1, 1000\nout 0x40, r1\nli r1, 3\nout 0x41, r1\nspin: jmp spin");
        var core = computer.Cores[0];
        core.InterceptInterrupts = true;
        core.State.Flags |= Cpu.Flags.IF;
        var cycles = new List<ulong>();
        for (var i = 0; i < 3; i++)
        {
            var exit = computer.Run(100_000);
            Assert.That(exit.Reason, Is.EqualTo(ExitReason.Interrupt));
            Assert.That(exit.Vector, Is.EqualTo(32));
            cycles.Add(core.Counters.Cycles);
            core.State.Flags |= Cpu.Flags.IF;
        }
        Assert.That(cycles[1] - cycles[0], Is.InRange(1000UL, 1010UL));
        Assert.That(cycles[2] - cycles[1], Is.InRange(1000UL, 1010UL));
    }

    [Test]
    public void Disk_Reads_And_Writes_Sectors_By_Dma()
    {
        var computer = TestMachine.Boot("""
                li r1, buffer
                li r2, 0x5A5A5A5A
                st [r1], r2
                li r3, 3
                out 0x1F0, r3        ; sector 3
                out 0x1F1, r1        ; memory
                li r3, 1
                out 0x1F2, r3        ; one sector
                li r3, 2
                out 0x1F3, r3        ; write
                in r9, 0x1F4
                li r2, 0
                st [r1], r2
                li r3, 1
                out 0x1F3, r3        ; read it back
                ld r4, [r1]
                in r5, 0x1F5         ; capacity
                hlt
                .align 512
            buffer: .space 512
            """);
        computer.Run(1000);
        var r = computer.Cores[0].State.R;
        Assert.That((r[9], r[4], r[5]), Is.EqualTo((0u, 0x5A5A5A5Au, 2048u)));
        Assert.That(computer.Disk.SectorsWritten, Is.EqualTo(1));
    }

    private sealed class CapturingLink : INetworkLink
    {
        public List<byte[]> Frames { get; } = [];
        public void Transmit(ReadOnlySpan<byte> frame) => Frames.Add(frame.ToArray());
    }

    [Test]
    public void Network_Card_Sends_And_Receives_Frames()
    {
        var computer = TestMachine.Boot("""
                li r1, frame
                out 0x300, r1
                li r1, 60
                out 0x301, r1
                li r1, 1
                out 0x302, r1        ; send
                hlt
                li r1, inbox
                out 0x303, r1
                li r2, 2
                out 0x302, r2        ; receive
                in r5, 0x304
                ld r6, [r1]
                hlt
            frame: .word 0xFFFFFFFF, 0xFFFF0102
                .space 52, 0x55
            inbox: .space 1522
            """);
        var link = new CapturingLink();
        computer.Network.Link = link;
        computer.Run(1000);
        Assert.That(link.Frames, Has.Count.EqualTo(1));
        Assert.That(link.Frames[0], Has.Length.EqualTo(60));
        Assert.That(link.Frames[0][..4], Is.EqualTo(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }));

        var incoming = new byte[64];
        incoming[0] = 0x12; incoming[1] = 0x34; incoming[2] = 0x56; incoming[3] = 0x78;
        computer.Network.Deliver(incoming);
        computer.Cores[0].Start(computer.Cores[0].State.Pc);
        computer.Run(1000);
        Assert.That((computer.Cores[0].State.R[5], computer.Cores[0].State.R[6]), Is.EqualTo((64u, 0x78563412u)));
    }

    [Test]
    public void Clock_Follows_Virtual_Time_So_Runs_Repeat()
    {
        const string source = "li r2, 1000\nspin: subi r2, r2, 1\njne spin\nin r3, 0x70\nin r4, 0x71\nli r5, 0xF0001000\nld r6, [r5]\nhlt";
        var first = TestMachine.Execute(source);
        var second = TestMachine.Execute(source);
        Assert.That(first.State.R[3], Is.EqualTo(first.Machine.Clock.StartSeconds));
        Assert.That(first.State.R[6], Is.EqualTo(first.State.R[3]));
        Assert.That((second.State.R[3], second.State.R[4]), Is.EqualTo((first.State.R[3], first.State.R[4])));
    }

    [Test]
    public void Disk_Backed_By_A_File_Keeps_What_The_Guest_Wrote()
    {
        var path = Path.Combine(Path.GetTempPath(), $"disk-{Guid.NewGuid():N}.img");
        try
        {
            File.WriteAllBytes(path, new byte[4 * BlockDisk.SectorSize]);
            using (var store = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
            {
                var program = Assembler.Assembler.AssembleText("""
                        li r1, buffer
                        li r2, 0x600DF00D
                        st [r1], r2
                        li r3, 2
                        out 0x1F0, r3
                        out 0x1F1, r1
                        li r3, 1
                        out 0x1F2, r3
                        li r3, 2
                        out 0x1F3, r3
                        hlt
                        .align 512
                    buffer: .space 512
                    """);
                var computer = new Computer(new MachineConfiguration { MemorySize = 1024 * 1024, DiskStore = store });
                computer.Load(program);
                Assert.That(computer.Run(1000).Reason, Is.EqualTo(ExitReason.Halt));
                Assert.That(computer.Disk.Sectors, Is.EqualTo(4u));
            }
            var image = File.ReadAllBytes(path);
            Assert.That(BitConverter.ToUInt32(image, 2 * BlockDisk.SectorSize), Is.EqualTo(0x600DF00Du));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
