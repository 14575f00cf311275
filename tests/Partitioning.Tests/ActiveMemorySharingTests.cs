using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Partitioning.Memory.Sharing;

namespace VirtualizationWorkbench.Partitioning.Tests;

public sealed class ActiveMemorySharingTests
{
    // Two 128-page partitions (8 blocks of logical memory each) over a pool of 64 frames: 4× overcommitted.
    private static readonly GuestMemoryUse Busy = new(WorkingPages: 40, CachePages: 12, ScratchPages: 16, CacheEvery: 4, Hints: true);

    private static (PartitionFirmware Firmware, SharedMemoryPool Pool) Pool(int blocks = 4, IPagingDevice? device = null, int cores = 2)
    {
        var firmware = new PartitionFirmware(new MachineConfiguration { MemorySize = 1024 * 1024, Cores = cores });
        return (firmware, firmware.CreateSharedMemoryPool(blocks, device ?? new ViosPagingDevice()));
    }

    private static LogicalPartition Shared(PartitionFirmware firmware, string name, int weight, LoanPolicy policy, GuestMemoryUse use, int blocks = 8)
    {
        var partition = firmware.ActivateShared(PartitionFirmwareTests.Profile(name, blocks), PartitionGuests.Ams, weight, policy);
        PartitionGuests.SetMemoryUse(firmware, partition, use);
        return partition;
    }

    private static uint Word(PartitionFirmware firmware, LogicalPartition partition, string symbol) =>
        firmware.ReadLogicalWord(partition, partition.Program!.Symbols[symbol]);

    private static string Counters(LogicalPartition p)
    {
        var s = p.Sharing!;
        return $"{p.Name}: {p.State} resident {s.ResidentPages} faults {s.Faults} in {s.PageIns} out {s.PageOuts} zero {s.ZeroFills} loaned {s.LoanedFree}+{s.LoanedCache} paging {s.PagingCycles} cycles {p.Cycles}";
    }

    [Test]
    public void An_Overcommitted_Pool_Is_Split_By_Memory_Weight()
    {
        var (firmware, pool) = Pool();
        var a = Shared(firmware, "a", 200, LoanPolicy.FreeAndCache, Busy);
        var b = Shared(firmware, "b", 100, LoanPolicy.FreeAndCache, Busy);
        firmware.Run(200_000);
        Assert.Multiple(() =>
        {
            Assert.That(pool.Overcommitment, Is.EqualTo(4.0), "256 logical pages over 64 frames");
            Assert.That(pool.FreeFrames, Is.Zero);
            Assert.That(a.Sharing!.ResidentPages, Is.EqualTo(64 * 200 / 300.0).Within(1), Counters(a));
            Assert.That(b.Sharing!.ResidentPages, Is.EqualTo(64 * 100 / 300.0).Within(1), Counters(b));
            Assert.That(b.Sharing.PageOuts, Is.GreaterThan(3 * a.Sharing.PageOuts), "the lighter partition is paged the most: " + Counters(a) + Counters(b));
            Assert.That(new[] { a.State, b.State }, Is.All.EqualTo(PartitionState.Running), a.Fault + b.Fault);
        });
    }

    [Test]
    public void A_Guest_Touching_A_Paged_Out_Page_Exits_And_The_Firmware_Pages_It_In_Intact()
    {
        var (firmware, _) = Pool();
        var a = Shared(firmware, "a", 128, LoanPolicy.None, Busy);
        var b = Shared(firmware, "b", 128, LoanPolicy.None, Busy);
        firmware.Run(200_000);
        Assert.Multiple(() =>
        {
            // Every visit checks the count its page held: a page that came back wrong would be counted.
            Assert.That(a.Sharing!.PageIns, Is.GreaterThan(100), Counters(a));
            Assert.That(a.Sharing.PageIns + a.Sharing.ZeroFills, Is.EqualTo(a.Sharing.Faults + 1), "each exit served from the device or with a zeroed frame, and the page the firmware loaded the program into");
            Assert.That(a.MissingPageFaults, Is.EqualTo(a.Sharing.Faults), "each one a nested page fault of the running guest");
            Assert.That(Word(firmware, a, "corrupt") + Word(firmware, b, "corrupt"), Is.Zero);
            Assert.That(Word(firmware, a, "cache_misses"), Is.Zero, "nothing is loaned under the policy none: the cache is paged, not dropped");
            Assert.That(a.Console, Does.StartWith("tick 0\ntick 1\ntick 2\n"));
        });
    }

    [Test]
    public void Paging_Costs_The_Waiting_Guest_The_Device_Cycles_In_Virtual_Time()
    {
        (LogicalPartition A, SharedMemoryPool Pool) Run(IPagingDevice device)
        {
            var (firmware, pool) = Pool(device: device);
            var a = Shared(firmware, "a", 200, LoanPolicy.FreeAndCache, Busy);
            Shared(firmware, "b", 100, LoanPolicy.FreeAndCache, Busy);
            firmware.Run(100_000);
            return (a, pool);
        }
        var (free, _) = Run(new ViosPagingDevice(new HostPagingStore(0), 0));
        var (vios, pool) = Run(new ViosPagingDevice());
        var paging = pool.Partitions.Sum(p => (decimal)p.PagingCycles) + pool.FirmwareCycles;
        Assert.Multiple(() =>
        {
            Assert.That(vios.Sharing!.PagingCycles, Is.GreaterThan(0));
            Assert.That(vios.Cycles - free.Cycles, Is.EqualTo(vios.Sharing.PagingCycles), "the same instructions, slower by exactly what a waited for the device");
            Assert.That(paging, Is.EqualTo((pool.Device.Reads + pool.Device.Writes) * 10_000m), "a page in or out through the VIOS: 2,000 cycles of round trip and 8,000 of disk");
        });
    }

    [Test]
    public void Data_Survives_Being_Paged_Out_And_In()
    {
        var (firmware, pool) = Pool();
        var a = Shared(firmware, "a", 1, LoanPolicy.None, Busy);
        firmware.Run(50_000);
        firmware.Suspend(a);
        var before = firmware.HashOf(a);
        var cameBack = a.Sharing!.PageIns;
        var b = Shared(firmware, "b", 255, LoanPolicy.None, Busy with { WorkingPages = 60 });
        firmware.Run(200_000);
        var out1 = Enumerable.Range(0, a.Pages).Count(a.Sharing.IsPagedOut);
        Assert.That(a.Sharing.ResidentPages, Is.EqualTo(SharedMemoryPool.EntitledPages), "b, of weight 255, pushed a, of weight 1, out to its entitled pages");
        Assert.That(out1, Is.GreaterThan(40), "a's pages are on the device");
        Assert.That(firmware.HashOf(a), Is.EqualTo(before), "a's memory, read where it is");
        // Brought in by the firmware's own accesses, page by page (pushing a's other pages out again: the pool is
        // still b's): the same bytes.
        for (var page = 0; page < a.Pages; page++) firmware.PageOf(a, page);
        Assert.Multiple(() =>
        {
            Assert.That(a.Sharing.PageIns - cameBack, Is.GreaterThanOrEqualTo(out1));
            Assert.That(firmware.HashOf(a), Is.EqualTo(before));
            Assert.That(Word(firmware, b, "corrupt"), Is.Zero);
        });
    }

    [Test]
    public void The_Clock_Keeps_The_Pages_The_Guest_Uses_And_Takes_The_Ones_It_Stopped_Using()
    {
        // One partition over a pool of 16 frames, without hints or loaning: the code (page 1), the stack (page 15)
        // and 6 working pages visited round-robin are in use all the time; 12 file-cache pages, one read at each
        // visit, stream through the 8 frames left. The clock must take only cache pages: each working page is
        // used again before the hand comes back to it. (Taking the oldest page, as before, took the code page and
        // the working pages in their turn.) A working page is written at every visit, so taking one would be a
        // write to the device; the cache pages, unchanged since they came back, go without one.
        var (firmware, pool) = Pool(blocks: 1, cores: 1);
        var a = Shared(firmware, "a", 128, LoanPolicy.None, new GuestMemoryUse(WorkingPages: 6, CachePages: 12, ScratchPages: 0, CacheEvery: 4, Hints: false));
        firmware.Run(100_000);
        var (faults, writes) = (a.Sharing!.Faults, pool.Device.Writes);
        firmware.Run(100_000);
        TestContext.Out.WriteLine($"{Counters(a)} clean {a.Sharing.CleanDrops} chances {a.Sharing.Clock.SecondChances} writes {pool.Device.Writes} (from {writes}) faults from {faults}");
        Assert.Multiple(() =>
        {
            Assert.That(a.Sharing.Faults - faults, Is.GreaterThan(100), "the cache pages keep cycling through the pool");
            Assert.That(pool.Device.Writes, Is.EqualTo(writes), "no page in use was taken, and no cache page was written again");
            Assert.That(a.Sharing.Clock.SecondChances, Is.GreaterThan(a.Sharing.Faults - faults), "pages in use were passed over");
            Assert.That(Word(firmware, a, "corrupt"), Is.Zero);
        });
    }

    [Test]
    public void A_Page_Unchanged_Since_It_Was_Paged_In_Is_Dropped_Without_A_Write()
    {
        // 12 file-cache pages, one read (never written) every 4 visits, with 6 working pages, over 16 frames and no
        // loaning: the cache pages cycle through the pool. Each is written to the device once (it was filled at
        // boot); after that the device's copy is good, so taking it again costs no write, only the read back.
        var (firmware, pool) = Pool(blocks: 1, cores: 2);
        var a = Shared(firmware, "a", 128, LoanPolicy.None, new GuestMemoryUse(WorkingPages: 6, CachePages: 12, ScratchPages: 0, CacheEvery: 4, Hints: false));
        firmware.Run(200_000);
        var s = a.Sharing!;
        TestContext.Out.WriteLine($"{Counters(a)} clean {s.CleanDrops} writes {pool.Device.Writes}");
        Assert.Multiple(() =>
        {
            Assert.That(s.PageIns, Is.GreaterThan(100), Counters(a));
            Assert.That(s.CleanDrops, Is.GreaterThan(s.PageIns - 30), "almost every page read back was taken again unchanged");
            Assert.That(pool.Device.Writes, Is.EqualTo(s.PageOuts).And.LessThan(30), "a write only for pages changed since they came in (the cache filled at boot, the boot's working pages)");
            Assert.That((Word(firmware, a, "corrupt"), Word(firmware, a, "cache_misses")), Is.EqualTo((0u, 0u)), "what came back from the device is what was there");
        });
        // The guest changes a page that has a copy on the device: the next time it is taken, it is written.
        var page = Enumerable.Range(16, 6).First(p => s.IsResident(p) && pool.Device.Holds(a.Id, p));
        var writes = pool.Device.Writes;
        firmware.WriteLogicalWord(a, (uint)page * 4096 + 8, 0xD1A7);
        firmware.Suspend(a);
        var b = Shared(firmware, "b", 255, LoanPolicy.None, Busy with { WorkingPages = 30 });
        firmware.Run(50_000);
        Assert.That(s.IsPagedOut(page) && pool.Device.Writes > writes && pool.Device.Peek(a.Id, page)[8] == 0xA7, Is.True, "the changed page went out with its change");
        Assert.That(Word(firmware, b, "corrupt"), Is.Zero);
    }

    [Test]
    public void A_Read_From_The_Vios_Disk_Costs_The_Guest_A_Round_Trip_And_A_Page_Of_Disk_Time()
    {
        // The same program but for its command: 1 reads page 0 of the disk (sectors 0-7) into 0x2000, 3 is refused.
        (LogicalPartition Partition, uint Status, uint Word) Run(int command)
        {
            var (firmware, _) = Pool(cores: 1);
            var program = Assembler.AssembleText($"""
                .org 0x1000
                li r4, 0
                out 0x1F0, r4
                li r4, 0x2000
                out 0x1F1, r4
                li r4, 8
                out 0x1F2, r4
                li r4, {command}
                out 0x1F3, r4
                in r5, 0x1F4
                hlt
                """);
            var p = firmware.ActivateShared(PartitionFirmwareTests.Profile("a", 2), program, 128, LoanPolicy.None);
            firmware.WriteLogicalWord(p, 0x2000, 0xFEED);
            firmware.Run(1000);
            return (p, p.Cores[0].GuestState.R[5], firmware.ReadLogicalWord(p, 0x2000));
        }
        var (read, readStatus, word) = Run(1);
        var (refused, refusedStatus, kept) = Run(3);
        Assert.Multiple(() =>
        {
            Assert.That((read.State, refused.State), Is.EqualTo((PartitionState.Halted, PartitionState.Halted)), read.Fault);
            Assert.That((readStatus, refusedStatus), Is.EqualTo((0u, 3u)));
            Assert.That((word, kept), Is.EqualTo((0u, 0xFEEDu)), "the disk's zeros came in over the page");
            Assert.That(read.Cycles - refused.Cycles, Is.EqualTo(2_000ul + 8_000), "the round trip to the VIOS and a page of disk time, on the guest's clock");
            Assert.That(read.Sharing!.Disk.Reads, Is.EqualTo(1));
        });
    }

    [Test]
    public void Loaning_Gives_Free_And_Cache_Pages_Back_So_The_Firmware_Pages_Less()
    {
        long PageOuts(LoanPolicy policy, bool hints, out long loanedFree, out long loanedCache, out uint misses)
        {
            var (firmware, pool) = Pool();
            var a = Shared(firmware, "a", 128, policy, Busy with { Hints = hints });
            var b = Shared(firmware, "b", 128, policy, Busy with { Hints = hints });
            firmware.Run(200_000);
            loanedFree = a.Sharing!.LoanedFree + b.Sharing!.LoanedFree;
            loanedCache = a.Sharing.LoanedCache + b.Sharing.LoanedCache;
            misses = Word(firmware, a, "cache_misses") + Word(firmware, b, "cache_misses");
            Assert.That(Word(firmware, a, "corrupt") + Word(firmware, b, "corrupt"), Is.Zero);
            foreach (var p in (LogicalPartition[])[a, b])
            {
                // The file written once at boot, then a read from the VIOS disk for each loaned page used again,
                // at the cost of a page-in: loaning saves the page-out only.
                var disk = p.Sharing!.Disk;
                Assert.That((disk.Writes, disk.Reads), Is.EqualTo((12L, (long)Word(firmware, p, "cache_misses"))));
                Assert.That(disk.Cycles, Is.EqualTo((ulong)(disk.Reads + disk.Writes) * 10_000));
            }
            return pool.Device.Writes;
        }
        var none = PageOuts(LoanPolicy.None, hints: true, out var noneFree, out var noneCache, out var noneMisses);
        var freeOnly = PageOuts(LoanPolicy.FreeOnly, hints: true, out var freeFree, out var freeCache, out _);
        var cache = PageOuts(LoanPolicy.FreeAndCache, hints: true, out var cacheFree, out var cacheCache, out var cacheMisses);
        var unhinted = PageOuts(LoanPolicy.FreeAndCache, hints: false, out var unhintedFree, out var unhintedCache, out _);
        Assert.Multiple(() =>
        {
            Assert.That((noneFree, noneCache, noneMisses), Is.EqualTo((0L, 0L, 0u)), "no loaning");
            Assert.That((freeFree, freeCache), Is.EqualTo((32L, 0L)), "both guests' 16 free pages, and no cache");
            Assert.That(cacheFree, Is.EqualTo(32));
            Assert.That(cacheCache, Is.GreaterThan(0));
            Assert.That(cacheMisses, Is.InRange(cacheCache / 2, cacheCache), "a loaned cache page is read again when next used (unless it is loaned again first)");
            Assert.That(freeOnly, Is.LessThan(none), "loaned free pages are not written out");
            Assert.That(cache, Is.LessThan(freeOnly), "nor are loaned cache pages");
            Assert.That((unhintedFree, unhintedCache, unhinted), Is.EqualTo((0L, 0L, none)), "without the guest's hints the firmware cannot tell what to take: it pages as with no loaning");
        });
    }

    [Test]
    public void A_Shared_Partition_Reaching_Past_Its_Logical_Memory_Is_Stopped_And_The_Others_Keep_Their_Memory()
    {
        var (firmware, _) = Pool();
        var a = Shared(firmware, "a", 128, LoanPolicy.None, Busy);
        firmware.Run(20_000);
        firmware.Suspend(a);
        var before = firmware.HashOf(a);
        var reach = Assembler.AssembleText(".org 0x1000\nli r4, 0x12345678\nst [r2], r4\nhlt\n");
        var b = firmware.ActivateShared(PartitionFirmwareTests.Profile("b", 2), reach, 128, LoanPolicy.None);
        firmware.Run(1000);
        Assert.Multiple(() =>
        {
            Assert.That(b.State, Is.EqualTo(PartitionState.Faulted));
            Assert.That(b.Fault, Does.Contain("reached logical address 0x00020000 (write)").And.Contain("outside its 128 KiB"));
            Assert.That(firmware.HashOf(a), Is.EqualTo(before));
        });
    }

    [Test]
    public void Page_Hints_Outside_The_Partition_Are_Refused_And_A_Dedicated_Partition_Has_None()
    {
        var (firmware, _) = Pool();
        // r1 = first page, r2 = count, r3 = use; the answers in r5, r6, r7.
        var hint = Assembler.AssembleText("""
            .org 0x1000
            li r0, 0x12
            li r1, 30
            li r2, 2
            li r3, 2
            vmcall
            mov r5, r0
            li r0, 0x12
            li r1, 30
            li r2, 3
            li r3, 2
            vmcall
            mov r6, r0
            li r0, 0x12
            li r1, 0
            li r2, 1
            li r3, 7
            vmcall
            mov r7, r0
            hlt
            """);
        var shared = firmware.ActivateShared(PartitionFirmwareTests.Profile("s", 2), hint, 128, LoanPolicy.FreeAndCache);
        var dedicated = firmware.Activate(PartitionFirmwareTests.Profile("d", 2), hint);
        firmware.Run(1000);
        Assert.Multiple(() =>
        {
            var r = shared.Cores[0].GuestState.R;
            Assert.That((r[5], r[6], r[7]), Is.EqualTo((FirmwareCall.Success, FirmwareCall.Parameter, FirmwareCall.Parameter)), "pages 30-31 of 32, then 30-32, then an unknown use");
            Assert.That((shared.Sharing!.UseOf(29), shared.Sharing.UseOf(30), shared.Sharing.UseOf(31)), Is.EqualTo((PageUse.Working, PageUse.Free, PageUse.Free)));
            Assert.That(dedicated.Cores[0].GuestState.R[5], Is.EqualTo(FirmwareCall.Unsupported));
        });
    }

    [Test]
    public void Bad_Requests_Are_Refused_Saying_What_And_Where_And_Nothing_Changes()
    {
        var firmware = new PartitionFirmware(new MachineConfiguration { MemorySize = 512 * 1024, Cores = 8 });
        var error = Assert.Throws<PartitionError>(() => firmware.ActivateShared(PartitionFirmwareTests.Profile("s"), PartitionGuests.Ams, 128, LoanPolicy.None))!;
        Assert.That(error.Message, Does.Contain("needs the machine's shared memory pool"));
        Assert.That(Assert.Throws<PartitionError>(() => firmware.CreateSharedMemoryPool(8, new HostPagingStore()))!.Message, Does.Contain("8 blocks wanted, 7 free"));
        var pool = firmware.CreateSharedMemoryPool(1, new HostPagingStore());
        var a = firmware.ActivateShared(PartitionFirmwareTests.Profile("a", 16), PartitionGuests.Ams, 128, LoanPolicy.None);
        Assert.Multiple(() =>
        {
            Assert.That(firmware.FreeBlocks, Is.EqualTo(6), "the pool's block is not free; a shared partition takes none");
            Assert.That(Assert.Throws<PartitionError>(() => firmware.CreateSharedMemoryPool(1, new HostPagingStore()))!.Message, Does.Contain("a machine has one"));
            Assert.That(Assert.Throws<PartitionError>(() => firmware.ActivateShared(PartitionFirmwareTests.Profile("w"), PartitionGuests.Ams, 256, LoanPolicy.None))!.Message, Does.Contain("memory weight is 0 to 255, not 256"));
            Assert.That(Assert.Throws<PartitionError>(() => firmware.Activate(PartitionFirmwareTests.Profile("o", 1, first: pool.Blocks[0]), PartitionGuests.Lpar))!.Message, Does.Contain("overlap the shared memory pool"));
            var dlpar = new DynamicReallocation(firmware);
            Assert.That(Assert.Throws<PartitionError>(() => dlpar.AddMemory(a, 1))!.Message, Does.Contain("'a': it is in shared memory mode"));
            Assert.That(Assert.Throws<PartitionError>(() => dlpar.RemoveMemory(a, 1))!.Message, Does.Contain("'a': it is in shared memory mode"));
            var target = new PartitionFirmware(new MachineConfiguration { MemorySize = 2 * 1024 * 1024, Cores = 1 });
            var move = new Migration.PartitionMigration(firmware, target, new Migration.MigrationOptions(Migration.MigrationMode.PreCopy, new Migration.MigrationLink(1000), Migration.StopRule.Parse("xen")));
            Assert.That(Assert.Throws<PartitionError>(() => move.Move(a))!.Message, Does.Contain("shared memory mode"));
            Assert.That(Assert.Throws<PartitionError>(() => LoanPolicy.Named("all"))!.Message, Does.Contain("the policies are none, free, cache"));
            // 16 frames keep 4 for each of at most 4 partitions: a fifth is refused and leaves nothing behind.
            for (var i = 0; i < 3; i++) firmware.ActivateShared(PartitionFirmwareTests.Profile($"p{i}", 2), PartitionGuests.Ams, 128, LoanPolicy.None);
            var partitions = firmware.Partitions.Count;
            Assert.That(Assert.Throws<PartitionError>(() => firmware.ActivateShared(PartitionFirmwareTests.Profile("p4", 2), PartitionGuests.Ams, 128, LoanPolicy.None))!.Message, Does.Contain("cannot keep 4 for each of 5 partitions"));
            Assert.That((firmware.Partitions.Count, pool.Partitions.Count), Is.EqualTo((partitions, 4)));
        });
    }

    [Test]
    public void Releasing_A_Shared_Partition_Frees_Its_Frames_And_Its_Paging_Space()
    {
        var (firmware, pool) = Pool();
        var a = Shared(firmware, "a", 128, LoanPolicy.None, Busy);
        var b = Shared(firmware, "b", 128, LoanPolicy.None, Busy);
        firmware.Run(100_000);
        var bHeld = Enumerable.Range(0, b.Pages).Count(p => pool.Device.Holds(b.Id, p));
        var resident = b.Sharing!.ResidentPages;
        Assert.That(pool.Device.PagesHeld, Is.GreaterThan(bHeld), "a has pages on the device too");
        firmware.Release(a);
        Assert.Multiple(() =>
        {
            Assert.That(pool.FreeFrames, Is.EqualTo(pool.Frames - resident));
            Assert.That(pool.Device.PagesHeld, Is.EqualTo(bHeld));
            Assert.That(pool.Partitions, Is.EqualTo(new[] { b.Sharing }));
        });
    }

    [Test]
    public void Two_Runs_Give_The_Same_Counters()
    {
        string Once()
        {
            var (firmware, _) = Pool();
            var a = Shared(firmware, "a", 200, LoanPolicy.FreeAndCache, Busy);
            var b = Shared(firmware, "b", 50, LoanPolicy.FreeOnly, Busy with { WorkingPages = 30 });
            firmware.Run(100_000);
            return Counters(a) + Counters(b) + firmware.HashOf(a) + firmware.HashOf(b);
        }
        var first = Once();
        Assert.That(Once(), Is.EqualTo(first));
    }

    [Test]
    public void The_Translator_Pages_Exactly_As_The_Interpreter_Does()
    {
        // Frames change hands under running code: a translated block must not outlive the page it came from.
        string Once(Machine.Cpu.ExecutionEngine engine)
        {
            var firmware = new PartitionFirmware(new MachineConfiguration { MemorySize = 1024 * 1024, Cores = 2, Engine = engine });
            firmware.CreateSharedMemoryPool(4, new ViosPagingDevice());
            var a = Shared(firmware, "a", 200, LoanPolicy.FreeAndCache, Busy);
            var b = Shared(firmware, "b", 100, LoanPolicy.FreeAndCache, Busy);
            firmware.Run(100_000);
            return Counters(a) + Counters(b) + firmware.HashOf(a) + firmware.HashOf(b) + a.Console + b.Console;
        }
        var interpreted = Once(Machine.Cpu.ExecutionEngine.Interpreter);
        Assert.That(Once(Machine.Cpu.ExecutionEngine.Translator), Is.EqualTo(interpreted));
    }
}
