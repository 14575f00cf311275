using System.CommandLine;
using System.Text.Json;
using VirtualizationWorkbench.Experiments;
using VirtualizationWorkbench.Partitioning;
using VirtualizationWorkbench.Partitioning.Memory;
using VirtualizationWorkbench.Labs;
using VirtualizationWorkbench.Machine.Costs;
using VirtualizationWorkbench.Machine.Virtualization.Experiments;
using VirtualizationWorkbench.Storage;

namespace VirtualizationWorkbench.Workbench.Commands;

/// <summary><c>workbench experiment …</c>: the course's measurements on the machine.</summary>
internal static class ExperimentCommands
{
    public static Command Create()
    {
        var command = new Command("experiment", "Run the course's experiments on the machine");
        command.Add(Overhead());
        command.Add(Emulation());
        command.Add(Storage());
        command.Add(Containers());
        command.Add(Migration());
        command.Add(Sharing());
        command.Add(MicroPartitioning());
        return command;
    }

    private static Command Emulation()
    {
        var json = new Option<bool>("--json") { Description = "Print the table as JSON" };
        var iterations = new Option<int>("--iterations") { Description = "Iterations of the loop (the JavaScript engine runs 1/400 of them)", DefaultValueFactory = _ => 20_000_000 };
        var labs = new Option<string?>("--labs") { Description = "The folder of labs (for labs/guests/rv32/prebuilt/xorshift.elf)" };
        var command = new Command("emulation", "One algorithm as native C#, as a workbench guest, and as a RISC-V program on each emulation engine: slowdown per layer, host time, guest MIPS")
        {
            json, iterations, labs,
        };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(iterations);
            if (n < 1000) throw new UserError("--iterations must be at least 1000");
            var path = Path.Combine(LabCatalog.Locate(parse.GetValue(labs)).LabsFolder, "guests", "rv32", "prebuilt", "xorshift.elf");
            if (!File.Exists(path)) throw new UserError($"{path}: missing; the experiment's RISC-V program lives there (labs/guests/rv32/build.sh builds it)");
            var layers = VirtualizationWorkbench.Experiments.EmulationExperiment.Run(path, n);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(layers.Select(l => new
                {
                    layer = l.Name,
                    description = l.Description,
                    iterations = l.Iterations,
                    guestInstructions = l.GuestInstructions,
                    hostSeconds = l.HostSeconds,
                    guestMips = l.GuestMips,
                    slowdown = l.Slowdown,
                    blocksTranslated = l.BlocksTranslated,
                }), new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            Console.WriteLine($"  {"layer",-16} {"iterations",12} {"guest instr.",14} {"host s",9} {"guest MIPS",11} {"slowdown",10}");
            foreach (var l in layers)
            {
                Console.WriteLine($"  {l.Name,-16} {l.Iterations,12:N0} {l.GuestInstructions,14:N0} {l.HostSeconds,9:F3} {l.GuestMips,11:F1} {l.Slowdown,9:F1}×");
            }
            Console.WriteLine("  slowdown: host time per iteration over native C#'s; the translator's blocks translated: " +
                layers.Single(l => l.Name == "rv32 translator").BlocksTranslated);
            return 0;
        });
        return command;
    }

    private static Command Containers()
    {
        var json = new Option<bool>("--json") { Description = "Print the results as JSON" };
        var labs = new Option<string?>("--labs") { Description = "The folder of labs (for labs/guests/minikernel.s)" };
        var command = new Command("containers", "N = 1, 10, 50 containers against N virtual machines running the same small service: start-up, memory per instance, density, and the shared kernel's failure domain")
        {
            json, labs,
        };
        command.SetAction(parse =>
        {
            var path = Path.Combine(LabCatalog.Locate(parse.GetValue(labs)).LabsFolder, "guests", "minikernel.s");
            if (!File.Exists(path)) throw new UserError($"{path}: missing; the virtual machines boot that kernel");
            var r = ContainerExperiment.Run(path);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(r, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                return 0;
            }
            Console.WriteLine("start-up: virtual cycles from the request to the service's first output, per instance; memory: bytes per instance");
            Console.WriteLine($"  {"N",4} {"container start",16} {"VM start",12} {"ratio",7} {"container mem",14} {"VM RAM given",13} {"VM pages written",17}");
            foreach (var row in r.Rows)
            {
                Console.WriteLine($"  {row.Instances,4} {row.ContainerStartMean,16:N0} {row.VmStartMean,12:N0} {row.VmStartMean / row.ContainerStartMean,6:F0}x {row.ContainerBytes,14:N0} {row.VmReservedBytes,13:N0} {row.VmTouchedBytes,17:N0}");
            }
            Console.WriteLine("all N requested at once, sharing one core: start-up per instance, mean and last");
            Console.WriteLine($"  {"N",4} {"container mean",16} {"container last",16} {"VM mean",14} {"VM last",14}");
            foreach (var row in r.Rows)
            {
                Console.WriteLine($"  {row.Instances,4} {row.ContainerBurstMean,16:N0} {row.ContainerBurstLast,16:N0} {row.VmBurstMean,14:N0} {row.VmBurstLast,14:N0}");
            }
            var d = r.Density;
            Console.WriteLine($"density in {d.MemoryBytes / (1024 * 1024)} MiB: {d.Containers:N0} containers, {d.VirtualMachines:N0} VMs ({d.VirtualMachinesByTouchedPages:N0} if a VM held only the pages it wrote)");
            var fill = r.Fill;
            Console.WriteLine($"filling a {fill.MemoryBytes / (1024 * 1024)} MiB kernel, no memory.max: {fill.ContainersUp:N0} containers up ({fill.ContainersByMemoryCurrent:N0} by one's memory.current); starting {fill.Starting}, the OOM killer took {fill.Victim} ({fill.KernelMessage})");
            var f = r.FailureDomain;
            Console.WriteLine($"failure domain: {f.Instances} instances, one hits a kernel bug: {f.ContainersStillRunning} of {f.Instances - 1} other containers still run ({f.ContainerKernel}); {f.VirtualMachinesStillRunning} of {f.Instances - 1} other VMs still run ({f.VmKernel})");
            Console.WriteLine("containers: one kernel (src/Containers), started one after another; VMs: minikernel under lab 07's hardware-assisted hypervisor, nested paging. Virtual time, default cost table; deterministic.");
            return 0;
        });
        return command;
    }

    private static Command MicroPartitioning()
    {
        var json = new Option<bool>("--json") { Description = "Print the runs as JSON" };
        var windows = new Option<int>("--windows") { Description = "Dispatch windows measured in each run (1 to 100)", DefaultValueFactory = _ => MicroPartitioningExperiment.Windows };
        var command = new Command("micropartitioning", "Micro-partitioning on running guests: virtual processors dispatched on a shared processor pool in 10 ms windows; each partition's promised and measured processing units (the HMC's example, a capped partition beside an uncapped one taking an idle one's entitlement, weights)")
        {
            json, windows,
        };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(windows);
            if (n is < 1 or > 100) throw new UserError($"--windows {n}: measure 1 to 100 dispatch windows");
            var r = MicroPartitioningExperiment.Run(n);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(r, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                return 0;
            }
            Console.WriteLine($"micro-partitions in a shared processor pool, dispatch windows of {r.WindowMs:F0} ms (virtual, 100 MHz), {r.Windows} windows measured after the first; busy guests run guests/lpar.s on every virtual processor, idle ones halt");
            Console.WriteLine($"  {"scenario",-16} {"pool",4} {"partition",-9} {"entitled",8} {"mode",-8} {"weight",6} {"VPs",3} {"promised",8} {"measured",8} {"cycles",12} {"pool idle",9}");
            foreach (var run in r.Runs)
            {
                foreach (var p in run.Partitions)
                {
                    var mode = p.Idle ? "idle" : p.Capped ? "capped" : "uncapped";
                    Console.WriteLine($"  {run.Scenario,-16} {run.PoolCores,4} {p.Name,-9} {p.Entitlement,8:F2} {mode,-8} {p.Weight,6} {p.VirtualProcessors,3} {p.Promised,8:F2} {p.Measured,8:F4} {p.Cycles,12:N0} {run.IdlePercent,8:F2}%");
                }
            }
            Console.WriteLine("  promised: the pool's division of a window (entitlement, and for uncapped partitions the spare capacity by weight), in processing units; measured: cycles dispatched / (windows × window); pool idle: capacity no virtual processor used, the first window included");
            return 0;
        });
        return command;
    }

    private static Command Sharing()
    {
        var json = new Option<bool>("--json") { Description = "Print the results as JSON" };
        var command = new Command("sharing", "Active Memory Sharing and Expansion in virtual time: two partitions overcommit a shared memory pool 4 to 1 (the pool split by memory weight, the paging that loaning saves); one partition expanded twice by compression (the factor achieved, the cost)")
        {
            json,
        };
        command.SetAction(parse =>
        {
            var r = SharingExperiment.Run();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(r, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                return 0;
            }
            Console.WriteLine($"two shared-memory partitions of {r.LogicalPages} logical pages over a pool of {r.PoolFrames} frames, guests/ams.s, {r.Instructions:N0} instructions each; VIOS paging device, 10,000 cycles a page in or out");
            void Table(string title, IReadOnlyList<SharingRun> runs)
            {
                Console.WriteLine(title);
                Console.WriteLine($"  {"policy",-6} {"hints",-5} {"part.",-5} {"weight",6} {"resident",8} {"fair",6} {"faults",7} {"in",6} {"out",6} {"clean",6} {"loaned",11} {"misses",6} {"waited",10} {"of time",7} {"file",9} {"corrupt",7}");
                foreach (var run in runs)
                {
                    foreach (var p in run.Partitions)
                    {
                        Console.WriteLine($"  {run.Policy,-6} {(run.Hints ? "yes" : "no"),-5} {p.Name,-5} {p.Weight,6} {p.Resident,8} {p.FairShare,6:F1} {p.Faults,7} {p.PageIns,6} {p.PageOuts,6} {p.CleanDrops,6} {$"{p.LoanedFree}+{p.LoanedCache}",11} {p.CacheMisses,6} {p.WaitedMs,7:F1} ms {p.WaitedPercent,6:F1}% {p.FileMs,6:F1} ms {p.Corrupt,7}");
                    }
                }
            }
            Table("the pool split by memory weight (loan policy cache):", r.ByWeight);
            Table("loaning (weights 200 and 100):", r.ByLoaning);
            Console.WriteLine("  fair: pool × weight / Σ weights; out: pages written to the paging device; clean: pages taken unchanged, without a write; loaned: free + cache pages; misses: cache pages the guest read again from its VIOS disk; waited: virtual time at 100 MHz its core spent on the paging device; file: on its VIOS disk (10,000 cycles a page)");
            Console.WriteLine();
            Console.WriteLine($"active memory expansion: one partition of {ExpansionTrial.TrueBlocks * PartitionFirmware.PagesPerBlock} pages of true memory ({(ExpansionTrial.TrueBlocks - ExpansionTrial.CompressedBlocks) * PartitionFirmware.PagesPerBlock} frames uncompressed, {ExpansionTrial.CompressedBlocks * PartitionFirmware.PagesPerBlock} pages for the compressed pool), factor {SharingExperiment.ExpansionFactor:F2}, guests/ams.s over its working pages, {r.Instructions:N0} instructions");
            Console.WriteLine($"  {"data",-6} {"working",7} {"held",5} {"U",4} {"C",7} {"r",7} {"factor",7} {"formula",7} {"deficit",7} {"compress",8} {"decomp.",8} {"cost",11} {"of time",7} {"corrupt",7}");
            foreach (var e in r.Expansion)
            {
                Console.WriteLine($"  {e.Data,-6} {e.WorkingPages,7} {e.Held,5} {e.U,4} {e.C,7:F2} {e.Ratio,7:F2} {e.Achieved,7:F3} {e.Formula,7:F3} {e.Deficit,7:F2} {e.Compressions,8} {e.Decompressions,8} {e.CostMs,8:F2} ms {e.CostPercent,6:F1}% {e.Corrupt,7}");
            }
            Console.WriteLine("  held: pages in either pool; U: in the uncompressed pool; C: the compressed pool in pages; r: its compression ratio; factor: held over the memory they take; formula: (U + C·r) / (U + C); deficit: compressed pages beyond the pool's share; cost: virtual time its core spent compressing (12 cycles a byte) and decompressing (3)");
            return 0;
        });
        return command;
    }

    private static Command Migration()
    {
        var json = new Option<bool>("--json") { Description = "Print the runs as JSON" };
        var workload = new Option<string?>("--workload") { Description = "One migration only: idle, moderate or diabolical (with --bandwidth; --mode, --rule, --blocks optional)" };
        var mode = new Option<string>("--mode") { Description = "pre-copy, stop-and-copy or hybrid", DefaultValueFactory = _ => "pre-copy" };
        var bandwidth = new Option<double>("--bandwidth") { Description = "The link, Mbit/s", DefaultValueFactory = _ => 1000 };
        var rule = new Option<string>("--rule") { Description = "Pre-copy's stop rule: xen, qemu-MS (e.g. qemu-1) or rounds-N", DefaultValueFactory = _ => "xen" };
        var blocks = new Option<int>("--blocks") { Description = "The partition's memory in 64 KiB blocks (1 to 64)", DefaultValueFactory = _ => MigrationExperiment.Blocks };
        var noClear = new Option<bool>("--no-clear-on-send") { Description = "Count a page dirty from the start of its round, even if written before it was sent (the write-not-dirty waste)" };
        var command = new Command("migration", "Live partition mobility in virtual time: idle, moderate and diabolical guests moved by pre-copy (Xen's and QEMU's stop rules), the hybrid with demand fetch, and stop-and-copy, across link bandwidths")
        {
            json, workload, mode, bandwidth, rule, blocks, noClear,
        };
        command.SetAction(parse =>
        {
            IReadOnlyList<MigrationRun> runs;
            if (parse.GetValue(workload) is { } name)
            {
                var load = VirtualizationWorkbench.Partitioning.GuestWorkload.All.FirstOrDefault(w => w.Name == name) ?? throw new UserError($"--workload {name}: workloads are idle, moderate and diabolical");
                var how = VirtualizationWorkbench.Partitioning.Migration.MigrationTrial.ModeNamed(parse.GetValue(mode)!) ?? throw new UserError($"--mode {parse.GetValue(mode)}: modes are pre-copy, stop-and-copy and hybrid");
                var size = parse.GetValue(blocks);
                if (size is < 1 or > 64) throw new UserError($"--blocks {size}: 1 to 64 blocks of 64 KiB");
                runs = [MigrationExperiment.Move(load, how, VirtualizationWorkbench.Partitioning.Migration.StopRule.Parse(parse.GetValue(rule)!), parse.GetValue(bandwidth), size, !parse.GetValue(noClear))];
            }
            else
            {
                runs = MigrationExperiment.Run();
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    clockMHz = 100,
                    partitionPages = MigrationExperiment.Blocks * VirtualizationWorkbench.Partitioning.PartitionFirmware.PagesPerBlock,
                    runs = runs.Select(r => new
                    {
                        workload = r.Workload,
                        mode = r.Mode,
                        stopRule = r.StopRule,
                        bandwidth = r.Bandwidth,
                        rounds = r.Rounds.Select(x => new { pages = x.Pages, ms = Math.Round(x.Milliseconds, 3) }),
                        totalPages = r.TotalPages,
                        downtimeMs = r.DowntimeMs,
                        totalMs = r.TotalMs,
                        memoryMatches = r.MemoryMatches,
                        guestContinued = r.GuestContinued,
                        demandFetches = r.DemandFetches,
                    }),
                }, new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            Console.WriteLine($"  {"workload",-11} {"mode",-14} {"stop rule",-10} {"Mbit/s",7} {"rounds (pages)",-34} {"pages",6} {"downtime",10} {"total",10} {"memory",7} {"guest",6}");
            foreach (var r in runs)
            {
                var rounds = string.Join(" ", r.Rounds.Select(x => x.Pages));
                if (rounds.Length > 34) rounds = rounds[..31] + "...";
                Console.WriteLine($"  {r.Workload,-11} {r.Mode,-14} {r.StopRule,-10} {r.Bandwidth,7:F0} {rounds,-34} {r.TotalPages,6} {r.DowntimeMs,7:F2} ms {r.TotalMs,7:F1} ms {(r.MemoryMatches ? "equal" : "DIFFER"),7} {(r.GuestContinued ? "on" : "LOST"),6}");
            }
            Console.WriteLine("  a 2 MiB partition (512 pages) running labs/guests/lpar.s; virtual time at 100 MHz; the last round is the stop-and-copy");
            Console.WriteLine("  (the hybrid's: the processor state only; its pages then come on demand or pushed). Deterministic.");
            return 0;
        });
        return command;
    }

    private static Command Storage()
    {
        var json = new Option<bool>("--json") { Description = "Print the results as JSON" };
        var seed = new Option<int>("--seed") { Description = "Seed of the volumes' writes (default 2026)", DefaultValueFactory = _ => 2026 };
        var command = new Command("storage", "Storage virtualization in virtual time: utilisation with and without thin provisioning, the first write after a snapshot, mirror resync against size, SAN against local I/O, live migration with the disk on the SAN")
        {
            json, seed,
        };
        command.SetAction(parse =>
        {
            var r = StorageExperiment.Run(parse.GetValue(seed));
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(r, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
                return 0;
            }
            static string Us(ulong cycles) => $"{StorageCosts.Microseconds(cycles):N1} µs";
            var u = r.Utilisation;
            Console.WriteLine($"utilisation (seed {r.Seed}): {u.Volumes} volumes promised {u.ProvisionedBlocks} blocks of 4 KiB, {u.WrittenBlocks} written");
            Console.WriteLine($"  thick: {u.ProvisionedBlocks} blocks reserved, {u.ThickUtilisationPercent:F1}% used");
            Console.WriteLine($"  thin:  a pool of {u.ThinPoolBlocks} blocks (written + 20% headroom), {u.ThinUtilisationPercent:F1}% used, over-committed {u.OverCommit:F2}x; savings 1 - allocated/provisioned = {u.SavingsPercent:F1}%");
            Console.WriteLine();
            Console.WriteLine("one-sector write to an origin volume (copy-on-write snapshot, 4 KiB chunks):");
            foreach (var s in r.Snapshot) Console.WriteLine($"  {s.Case,-30} {s.DiskRequests} disk requests  {Us(s.Cycles),12}");
            Console.WriteLine();
            Console.WriteLine("mirror resynchronisation (4 KiB regions; the bitmap case: one region in ten written while a disk was away):");
            Console.WriteLine($"  {"size",9} {"whole copy",14} {"time",14} {"bitmap copy",12} {"time",14}");
            foreach (var m in r.Resync) Console.WriteLine($"  {m.Kibibytes,6} KiB {m.FullRegions,10} reg. {Us(m.FullCycles),14} {m.BitmapRegions,7} reg. {Us(m.BitmapCycles),14}");
            Console.WriteLine();
            Console.WriteLine("a request to a local volume and to a volume over the SAN (disk time + frames on the wire):");
            foreach (var c in r.San) Console.WriteLine($"  {c.Request,-26} local {Us(c.LocalCycles),12}   SAN {Us(c.SanCycles),12} ({c.Frames} frames, {(double)c.SanCycles / c.LocalCycles:F2}x)");
            Console.WriteLine();
            Console.WriteLine($"live migration of a 128 KiB partition writing its disk, a {StorageExperiment.MigrationVolumeSectors * 512 / (1024 * 1024)} MiB LUN on a storage machine, over 1 Gbit/s (labs/guests/lpar-disk.s):");
            Console.WriteLine($"  {"mode",-14} {"memory sent",12} {"disk sectors",12} {"downtime",11} {"total",10} {"LUN",6} {"guest",6}   {"with a local disk (lower bound)",32}");
            foreach (var m in r.SanMigration)
            {
                Console.WriteLine($"  {m.Mode,-14} {m.MemoryKibibytes,8:F0} KiB {m.DiskSectorsCopied,12} {m.DowntimeMilliseconds,8:F3} ms {m.TotalMilliseconds,7:F3} ms {(m.VolumeMatches ? "equal" : "DIFFER"),6} {(m.GuestContinued ? "on" : "LOST"),6}   {m.LocalDiskKibibytes,9:F0} KiB {m.LocalDiskTotalMilliseconds,9:F3} ms total");
            }
            Console.WriteLine("  the disk stays on the storage machine: the target logs in to the same LUN. The local-disk figures are computed:");
            Console.WriteLine("  the memory sent plus the whole disk at the link's bandwidth (a block migration also re-sends rewritten sectors).");
            Console.WriteLine();
            Console.WriteLine("virtual time under the storage cost table (src/Storage/StorageCosts.cs); deterministic.");
            return 0;
        });
        return command;
    }

    private static Command Overhead()
    {
        var json = new Option<bool>("--json") { Description = "Print the tables as JSON" };
        var costs = new Option<string[]>("--costs") { Description = "Cost tables to use: 2006, modern (default: both)", AllowMultipleArgumentsPerToken = true };
        var labs = new Option<string?>("--labs") { Description = "The folder of labs (for labs/guests/microbench.s)" };
        var command = new Command("overhead", "Adams & Agesen's microbenchmarks and two macro workloads: native, binary translation, paravirtualization, hardware assistance")
        {
            json, costs, labs,
        };
        command.SetAction(parse =>
        {
            var names = parse.GetValue(costs) is { Length: > 0 } given ? given : ["2006", "modern"];
            var tables = names.Select(n => CostTables.Find(n) ?? throw new UserError($"--costs: no cost table '{n}'; the tables are 2006 and modern")).ToList();
            var path = Path.Combine(LabCatalog.Locate(parse.GetValue(labs)).LabsFolder, "guests", "microbench.s");
            if (!File.Exists(path)) throw new UserError($"{path}: missing; the experiment's workloads live there");
            var experiment = new OverheadExperiment(File.ReadAllText(path), path);
            var results = tables.Select(experiment.Run).ToList();
            if (parse.GetValue(json))
            {
                var document = new
                {
                    tables = results.Select(t => new
                    {
                        costTable = t.CostTable,
                        hardwarePaging = t.HardwarePaging,
                        rows = t.Rows.Select(r => new { name = r.Name, native = r.Native, bt = r.BinaryTranslation, pv = r.Paravirtualization, hw = r.HardwareAssisted }),
                    }),
                    workloads = results.SelectMany(t => t.Workloads.Select(w => new
                    {
                        costTable = t.CostTable,
                        name = w.Name,
                        overheadPercent = new { bt = w.BinaryTranslation, pv = w.Paravirtualization, hw = w.HardwareAssisted },
                    })),
                };
                Console.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            foreach (var t in results)
            {
                Console.WriteLine($"cost table {t.CostTable} (hardware assistance with {t.HardwarePaging} paging): virtual cycles per operation");
                Console.WriteLine($"  {"",-9} {"native",10} {"BT",10} {"PV",10} {"HW",10}   fastest virtualized");
                foreach (var r in t.Rows)
                {
                    Console.WriteLine($"  {r.Name,-9} {r.Native,10:N0} {r.BinaryTranslation,10:N0} {r.Paravirtualization,10:N0} {r.HardwareAssisted,10:N0}   {r.Winner()}");
                }
                Console.WriteLine("  overhead over native:");
                foreach (var w in t.Workloads)
                {
                    Console.WriteLine($"  {w.Name,-9} {"",10} {w.BinaryTranslation,9:F1}% {w.Paravirtualization,9:F1}% {w.HardwareAssisted,9:F1}%");
                }
                Console.WriteLine();
            }
            return 0;
        });
        return command;
    }
}
