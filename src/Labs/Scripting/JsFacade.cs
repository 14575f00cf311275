using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;
using VirtualizationWorkbench.Machine.Virtualization.Experiments;

namespace VirtualizationWorkbench.Labs.Scripting;

/// <summary>
/// The lab API as scripts see it: plain JavaScript objects whose members are functions and getters written
/// here, one by one, over <see cref="LabApi"/>, <see cref="ScriptMachine"/>, <see cref="ScriptMonitor"/> and
/// <see cref="ScriptSplitSystem"/>. No .NET object is ever handed to a script, so there is nothing to reflect
/// on: a member that is not listed here does not exist (<c>lab.GetType</c> is <c>undefined</c>), and the
/// objects' prototype is the plain <c>Object.prototype</c>. Members are enumerable (so <c>Object.keys(m)</c>
/// lists the API) but read-only, and the objects are not extensible.
/// </summary>
/// <remarks>
/// Arguments are checked here, strictly: a number where a number is expected, a string where a string is; an
/// optional argument is one that is <c>undefined</c>. A wrong one fails the script with the call's name and
/// what it takes, at the line of the call.
/// </remarks>
internal sealed class JsFacade(Engine engine)
{
    private const string MemoryShares = "lab.memoryShares(poolBlocks, partitions, instructions)";
    private const string DispatchShares = "lab.dispatchShares(units, partitions, windows)";
    private const string MemoryExpansion = "lab.memoryExpansion(data, workingPages, instructions)";

    /// <summary>The <c>lab</c> object.</summary>
    public ObjectInstance Lab(LabApi api) => new Members(engine)
        .Method("machine", 2, a => Machine(api.Machine(Args.Number(a, 0, "lab.machine(memory, cores)", "memory", 16), Args.Number(a, 1, "lab.machine(memory, cores)", "cores", 1))))
        .Method("monitor", 2, a => Monitor(api.Monitor(Args.Text(a, 0, "lab.monitor(technique, costTable)", "technique"), Args.Text(a, 1, "lab.monitor(technique, costTable)", "costTable", "default"))))
        .Method("splitConsole", 0, _ => SplitSystem(api.SplitConsole()))
        .Method("storage", 0, _ => Storage(api.Storage()))
        .Method("containers", 0, _ => Containers(api.Containers()))
        .Method("overheadRow", 2, a => OverheadRow(api.OverheadRow(Args.Text(a, 0, "lab.overheadRow(costTable, row)", "costTable"), Args.Text(a, 1, "lab.overheadRow(costTable, row)", "row"))))
        .Method("network", 1, a => Network(api.Network(Args.Text(a, 0, "lab.network(file)", "file"))))
        .Method("partitions", 2, a => Partitions(api.Partitions(Args.Number(a, 0, "lab.partitions(memory, cores)", "memory", 4), Args.Number(a, 1, "lab.partitions(memory, cores)", "cores", 4))))
        .Method("migrate", 5, a => Migration(api.Migrate(Args.Text(a, 0, "lab.migrate(workload, mode, mbps, rule, clearDirtyOnSend)", "workload"), Args.Text(a, 1, "lab.migrate(workload, mode, mbps, rule, clearDirtyOnSend)", "mode"),
            Args.Number(a, 2, "lab.migrate(workload, mode, mbps, rule, clearDirtyOnSend)", "mbps"), Args.Text(a, 3, "lab.migrate(workload, mode, mbps, rule, clearDirtyOnSend)", "rule", "xen"),
            Args.At(a, 4).IsUndefined() || TypeConverter.ToBoolean(Args.At(a, 4)))))
        .Method("poolShares", 2, a => Numbers(ScriptPartitions.PoolShares(Args.Number(a, 0, "lab.poolShares(units, partitions)", "units"),
            ToClr(Args.At(a, 1)) as object?[] ?? throw new ScriptFailure("lab.poolShares(units, partitions): partitions must be an array of [name, entitlement, virtualProcessors, capped, weight, demand]"))))
        .Method("dispatchShares", 3, a => Numbers(api.DispatchShares(Args.Number(a, 0, DispatchShares, "units"),
            ToClr(Args.At(a, 1)) as object?[] ?? throw new ScriptFailure($"{DispatchShares}: partitions must be an array of [name, entitlement, virtualProcessors, capped, weight, idle]"),
            Args.Number(a, 2, DispatchShares, "windows", 2))))
        .Method("memoryShares", 3, a => new JsArray(engine, [.. api.MemoryShares(Args.Number(a, 0, MemoryShares, "poolBlocks"),
            ToClr(Args.At(a, 1)) as object?[] ?? throw new ScriptFailure($"{MemoryShares}: partitions must be an array of [name, weight, loanPolicy]"),
            Args.Number(a, 2, MemoryShares, "instructions", 200_000)).Select(p => (JsValue)Paging(p))]))
        .Method("memoryExpansion", 3, a => Expansion(api.MemoryExpansion(Args.Text(a, 0, MemoryExpansion, "data"), Args.Number(a, 1, MemoryExpansion, "workingPages"),
            Args.Number(a, 2, MemoryExpansion, "instructions", 200_000))))
        .Method("rv32", 1, a => Rv32(api.Rv32(Args.Text(a, 0, "lab.rv32(file)", "file"))))
        .Method("bytecode", 1, a => Bytecode(api.Bytecode(Args.Text(a, 0, "lab.bytecode(file)", "file"))))
        .Method("source", 1, a => api.Source(Args.Text(a, 0, "lab.source(name)", "name")))
        .Method("workFile", 1, a => api.WorkFile(Args.Text(a, 0, "lab.workFile(name)", "name")))
        .Method("hasWorkFile", 1, a => api.HasWorkFile(Args.Text(a, 0, "lab.hasWorkFile(name)", "name")))
        .Method("param", 2, a => api.Param(Args.Text(a, 0, "lab.param(question, name)", "question"), Args.Text(a, 1, "lab.param(question, name)", "name")))
        .Value("seed", api.Seed)
        .Value("pageSize", api.PageSize)
        .Build();

    /// <summary>The step's functions: <c>check</c>, <c>expect</c>, <c>solution</c>, <c>log</c>.</summary>
    public IEnumerable<(string Name, JsValue Function)> Functions(LabScriptGlobals globals) =>
    [
        ("check", Function("check", 2, a => globals.Check(TypeConverter.ToBoolean(Args.At(a, 0)), Args.Message(a, 1)))),
        ("expect", Function("expect", 3, a => globals.Expect(ToClr(Args.At(a, 0)), ToClr(Args.At(a, 1)), Args.Message(a, 2)))),
        ("solution", Function("solution", 2, a => globals.Solution(Args.Text(a, 0, "solution(id, value)", "id"), ToClr(Args.At(a, 1))))),
        ("log", Function("log", 1, a => globals.Log(ToClr(Args.At(a, 0))))),
    ];

    private ObjectInstance Machine(ScriptMachine m)
    {
        ObjectInstance self = null!;
        self = new Members(engine)
            .Method("load", 1, a =>
            {
                m.Load(Args.Text(a, 0, "m.load(name)", "name"));
                return self;
            })
            .Method("loadSource", 1, a =>
            {
                m.LoadSource(Args.Text(a, 0, "m.loadSource(text)", "text"));
                return self;
            })
            .Method("run", 1, a => Exit(m.Run(Args.Number(a, 0, "m.run(budget)", "budget"))))
            .Method("runToHalt", 1, a => Exit(m.RunToHalt(Args.Number(a, 0, "m.runToHalt(budget)", "budget", 10_000_000))))
            .Method("reg", 1, a => m.Reg(Args.Integer(a, 0, "m.reg(n)", "n")))
            .Method("setReg", 2, a => m.SetReg(Args.Integer(a, 0, "m.setReg(n, value)", "n"), Args.Number(a, 1, "m.setReg(n, value)", "value")))
            .Getter("pc", () => m.Pc)
            .Getter("ring", () => m.Ring)
            .Getter("flags", () => m.Flags)
            .Getter("flagsText", () => m.FlagsText)
            .Getter("interruptsEnabled", () => m.InterruptsEnabled)
            .Method("cr", 1, a => m.Cr(Args.Integer(a, 0, "m.cr(n)", "n")))
            .Method("read", 1, a => m.Read(Args.Number(a, 0, "m.read(address)", "address")))
            .Method("write", 2, a => m.Write(Args.Number(a, 0, "m.write(address, value)", "address"), Args.Number(a, 1, "m.write(address, value)", "value")))
            .Method("symbol", 1, a => m.Symbol(Args.Text(a, 0, "m.symbol(name)", "name")))
            .Method("counter", 1, a => m.Counter(Args.Text(a, 0, "m.counter(name)", "name")))
            .Method("traps", 1, a => m.Traps(Args.Integer(a, 0, "m.traps(vector)", "vector")))
            .Method("console", 0, _ => m.Console())
            .Method("feed", 1, a => m.Feed(Args.Text(a, 0, "m.feed(text)", "text")))
            .Method("events", 0, _ => new JsArray(engine, [.. m.Events().Select(e => (JsValue)new JsString(e))]))
            .Method("disassemble", 1, a => m.Disassemble(Args.Number(a, 0, "m.disassemble(address)", "address")))
            .Method("intercept", 1, a => m.Intercept(Args.Number(a, 0, "m.intercept(mask)", "mask")))
            .Build();
        return self;
    }

    private ObjectInstance Monitor(ScriptMonitor vm)
    {
        ObjectInstance self = null!;
        self = new Members(engine)
            .Value("name", vm.Name)
            .Method("load", 1, a =>
            {
                vm.Load(Args.Text(a, 0, "vm.load(name)", "name"));
                return self;
            })
            .Method("loadWith", 2, a =>
            {
                vm.Load(Args.Text(a, 0, "vm.loadWith(name, defines)", "name"), Args.Text(a, 1, "vm.loadWith(name, defines)", "defines"));
                return self;
            })
            .Method("run", 1, a => MonitorRun(vm.Run(Args.Number(a, 0, "vm.run(budget)", "budget"))))
            .Method("console", 0, _ => vm.Console())
            .Method("counter", 1, a => vm.Counter(Args.Text(a, 0, "vm.counter(name)", "name")))
            .Method("stat", 1, a => vm.Stat(Args.Text(a, 0, "vm.stat(name)", "name")))
            .Getter("virtualInterruptsEnabled", () => vm.VirtualInterruptsEnabled)
            .Build();
        return self;
    }

    private ObjectInstance Storage(ScriptStorage st)
    {
        const string Name = "name";
        JsValue Lines(string[] lines) => new JsArray(engine, [.. lines.Select(l => (JsValue)new JsString(l))]);
        return new Members(engine)
            .Method("addDisk", 2, a => st.AddDisk(Args.Text(a, 0, "st.addDisk(name, extents)", Name), Args.Number(a, 1, "st.addDisk(name, extents)", "extents")))
            .Method("createVolume", 2, a => st.CreateVolume(Args.Text(a, 0, "st.createVolume(name, extents)", Name), Args.Number(a, 1, "st.createVolume(name, extents)", "extents")))
            .Method("tryCreateVolume", 2, a => st.TryCreateVolume(Args.Text(a, 0, "st.tryCreateVolume(name, extents)", Name), Args.Number(a, 1, "st.tryCreateVolume(name, extents)", "extents")))
            .Method("extendVolume", 2, a => st.ExtendVolume(Args.Text(a, 0, "st.extendVolume(name, extents)", Name), Args.Number(a, 1, "st.extendVolume(name, extents)", "extents")))
            .Method("tryRemoveDisk", 1, a => st.TryRemoveDisk(Args.Text(a, 0, "st.tryRemoveDisk(name)", Name)))
            .Method("moveVolume", 3, a => st.MoveVolume(Args.Text(a, 0, "st.moveVolume(name, from, to)", Name), Args.Text(a, 1, "st.moveVolume(name, from, to)", "from"), Args.Text(a, 2, "st.moveVolume(name, from, to)", "to")))
            .Method("createThinPool", 3, a => st.CreateThinPool(Args.Text(a, 0, "st.createThinPool(name, extents, whenFull)", Name), Args.Number(a, 1, "st.createThinPool(name, extents, whenFull)", "extents"), Args.Text(a, 2, "st.createThinPool(name, extents, whenFull)", "whenFull", "queue")))
            .Method("setNoSpaceTimeout", 2, a => st.SetNoSpaceTimeout(Args.Text(a, 0, "st.setNoSpaceTimeout(pool, cycles)", "pool"), Args.Number(a, 1, "st.setNoSpaceTimeout(pool, cycles)", "cycles")))
            .Method("createThinVolume", 3, a => st.CreateThinVolume(Args.Text(a, 0, "st.createThinVolume(pool, name, blocks)", "pool"), Args.Text(a, 1, "st.createThinVolume(pool, name, blocks)", Name), Args.Number(a, 2, "st.createThinVolume(pool, name, blocks)", "blocks")))
            .Method("extendPool", 2, a => st.ExtendPool(Args.Text(a, 0, "st.extendPool(pool, extents)", "pool"), Args.Number(a, 1, "st.extendPool(pool, extents)", "extents")))
            .Method("createMirror", 2, a => st.CreateMirror(Args.Text(a, 0, "st.createMirror(name, extents)", Name), Args.Number(a, 1, "st.createMirror(name, extents)", "extents")))
            .Method("replaceLeg", 3, a => st.ReplaceLeg(Args.Text(a, 0, "st.replaceLeg(mirror, leg, disk)", "mirror"), Args.Number(a, 1, "st.replaceLeg(mirror, leg, disk)", "leg"), Args.Text(a, 2, "st.replaceLeg(mirror, leg, disk)", "disk")))
            .Method("resyncStep", 1, a => st.ResyncStep(Args.Text(a, 0, "st.resyncStep(mirror)", "mirror")))
            .Method("createSnapshot", 3, a => st.CreateSnapshot(Args.Text(a, 0, "st.createSnapshot(origin, name, extents)", "origin"), Args.Text(a, 1, "st.createSnapshot(origin, name, extents)", Name), Args.Number(a, 2, "st.createSnapshot(origin, name, extents)", "extents")))
            .Method("failDisk", 2, a => st.FailDisk(Args.Text(a, 0, "st.failDisk(disk, afterSectors)", "disk"), Args.Number(a, 1, "st.failDisk(disk, afterSectors)", "afterSectors", 0)))
            .Method("writeSector", 2, a => st.WriteSector(Args.Text(a, 0, "st.writeSector(volume, sector)", "volume"), Args.Number(a, 1, "st.writeSector(volume, sector)", "sector")))
            .Method("map", 1, a => Lines(st.Map(Args.Text(a, 0, "st.map(volume)", "volume"))))
            .Method("hash", 1, a => st.Hash(Args.Text(a, 0, "st.hash(volume)", "volume")))
            .Method("fillHash", 2, a => ScriptStorage.FillHash(Args.Number(a, 0, "st.fillHash(sectors, secondPass)", "sectors"), TypeConverter.ToBoolean(Args.At(a, 1))))
            .Method("stat", 2, a => st.Stat(Args.Text(a, 0, "st.stat(name, what)", Name), Args.Text(a, 1, "st.stat(name, what)", "what")))
            .Method("events", 1, a => Lines(st.Events(Args.Text(a, 0, "st.events(name)", Name))))
            .Method("machine", 1, a => Machine(st.Machine(Args.Text(a, 0, "st.machine(volume)", "volume"))))
            .Method("sanMachine", 1, a => Machine(st.SanMachine(Args.Text(a, 0, "st.sanMachine(volume)", "volume"))))
            .Method("detach", 1, a => st.Detach(Args.Text(a, 0, "st.detach(volume)", "volume")))
            .Method("migrateOverSan", 3, a => SanMigration(st.MigrateOverSan(Args.Text(a, 0, "st.migrateOverSan(volume, mode, mbps)", "volume"),
                Args.Text(a, 1, "st.migrateOverSan(volume, mode, mbps)", "mode"), Args.Number(a, 2, "st.migrateOverSan(volume, mode, mbps)", "mbps", 1000))))
            .Method("tryMigrateLocal", 1, a => st.TryMigrateLocal(Args.Text(a, 0, "st.tryMigrateLocal(volume)", "volume")))
            .Build();
    }

    private ObjectInstance SanMigration(VirtualizationWorkbench.Storage.San.SanMigrationResult r) => new Members(engine)
        .Value("memoryPages", r.MemoryPages)
        .Value("memoryKib", r.MemoryBytes / 1024.0)
        .Value("diskSectorsCopied", r.DiskSectorsCopied)
        .Value("downtimeMs", Math.Round(r.DowntimeMilliseconds, 3))
        .Value("totalMs", Math.Round(r.TotalMilliseconds, 3))
        .Value("writesBefore", r.WritesBefore)
        .Value("writes", r.Writes)
        .Value("targetRequests", r.TargetRequests)
        .Getter("volumeMatches", () => r.VolumeMatches)
        .Getter("memoryMatches", () => r.MemoryMatches)
        .Getter("guestContinued", () => r.GuestContinued)
        .Value("demandFetches", r.DemandFetches)
        .Build();

    private ObjectInstance Containers(ScriptContainers k)
    {
        const string Name = "name";
        JsValue Numbers(double[] values) => new JsArray(engine, [.. values.Select(v => (JsValue)new JsNumber(v))]);
        return new Members(engine)
            .Method("start", 7, a => k.Start(Args.Text(a, 0, "k.start(name, image, command, memoryMax, pidsMax, cpuMax, bridge)", Name),
                Args.Text(a, 1, "k.start(name, image, command, …)", "image", "base"), Args.Text(a, 2, "k.start(name, image, command, …)", "command", "/bin/service"),
                Args.Text(a, 3, "k.start(…, memoryMax, pidsMax, cpuMax)", "memoryMax", "max"), Args.Text(a, 4, "k.start(…, memoryMax, pidsMax, cpuMax)", "pidsMax", "max"),
                Args.Text(a, 5, "k.start(…, memoryMax, pidsMax, cpuMax)", "cpuMax", "max"), TypeConverter.ToBoolean(Args.At(a, 6))))
            .Method("exec", 2, a => k.Exec(Args.Text(a, 0, "k.exec(name, command)", Name), Args.Text(a, 1, "k.exec(name, command)", "command")))
            .Method("host", 1, a => k.Host(Args.Text(a, 0, "k.host(command)", "command")))
            .Method("chroot", 2, a => k.Chroot(Args.Text(a, 0, "k.chroot(directory, command)", "directory"), Args.Text(a, 1, "k.chroot(directory, command)", "command")))
            .Method("run", 1, a => k.Run(Args.Number(a, 0, "k.run(cycles)", "cycles")))
            .Method("console", 1, a => k.Console(Args.Text(a, 0, "k.console(name)", Name)))
            .Method("hostConsole", 0, _ => k.HostConsole())
            .Method("ps", 1, a => Numbers(k.Ps(Args.Text(a, 0, "k.ps(name)", Name))))
            .Method("hostPids", 1, a => Numbers(k.HostPids(Args.Text(a, 0, "k.hostPids(name)", Name))))
            .Method("allHostPids", 0, _ => Numbers(k.AllHostPids()))
            .Method("read", 2, a => k.Read(Args.Text(a, 0, "k.read(name, file)", Name), Args.Text(a, 1, "k.read(name, file)", "file")))
            .Method("running", 1, a => k.Running(Args.Text(a, 0, "k.running(name)", Name)))
            .Method("stoppedBecause", 1, a => k.StoppedBecause(Args.Text(a, 0, "k.stoppedBecause(name)", Name)))
            .Method("hostname", 1, a => k.Hostname(Args.Text(a, 0, "k.hostname(name)", Name)))
            .Method("hostHostname", 0, _ => k.HostHostname())
            .Method("send", 4, a => k.Send(Args.Text(a, 0, "k.send(from, address, port, value)", "from"), Args.Text(a, 1, "k.send(from, address, port, value)", "address"),
                Args.Number(a, 2, "k.send(from, address, port, value)", "port"), Args.Number(a, 3, "k.send(from, address, port, value)", "value")))
            .Method("startupCycles", 1, a => k.StartupCycles(Args.Text(a, 0, "k.startupCycles(name)", Name)))
            .Getter("now", () => k.Now)
            .Getter("panicked", () => k.Panicked)
            .Build();
    }

    private ObjectInstance SplitSystem(ScriptSplitSystem xen) => new Members(engine)
        .Method("run", 1, a => MonitorRun(xen.Run(Args.Number(a, 0, "xen.run(budget)", "budget"))))
        .Method("console", 0, _ => xen.Console())
        .Getter("events", () => xen.Events)
        .Getter("guestDeviceAccesses", () => xen.GuestDeviceAccesses)
        .Getter("controlDeviceAccesses", () => xen.ControlDeviceAccesses)
        .Build();

    private ObjectInstance Network(ScriptNetwork net) => new Members(engine)
        .Method("run", 1, a => net.Run(Args.Number(a, 0, "net.run(ms)", "ms")))
        .Method("runToEnd", 0, _ => net.RunToEnd())
        .Method("change", 1, a => net.Change(Args.Text(a, 0, "net.change(line)", "line")))
        .Method("sent", 1, a => net.Sent(Args.Text(a, 0, "net.sent(machine)", "machine")))
        .Method("received", 1, a => net.Received(Args.Text(a, 0, "net.received(machine)", "machine")))
        .Method("replies", 1, a => net.Replies(Args.Text(a, 0, "net.replies(machine)", "machine")))
        .Method("vlan", 1, a =>
        {
            var v = net.Vlan(Args.Number(a, 0, "net.vlan(vid)", "vid"));
            return new Members(engine).Value("frames", v.Frames).Value("bytes", v.Bytes).Value("drops", v.Drops)
                .Value("meanLatencyUs", v.MeanLatencyUs).Value("maxLatencyUs", v.MaxLatencyUs).Build();
        })
        .Method("capture", 1, a => net.Capture(Args.Text(a, 0, "net.capture(port)", "port")))
        .Method("frames", 1, a => new JsArray(engine, [.. net.Frames(Args.Text(a, 0, "net.frames(port)", "port")).Select(f => (JsValue)new Members(engine)
            .Value("number", f.Number).Value("timeUs", f.TimeUs).Value("length", f.Length).Value("src", f.Source).Value("dst", f.Destination)
            .Value("tagged", f.Tagged).Value("vid", f.Vid).Value("pcp", f.Pcp).Value("dei", f.Dei).Build())]))
        .Method("port", 1, a =>
        {
            var p = net.Port(Args.Text(a, 0, "net.port(name)", "name"));
            return new Members(engine).Value("config", p.Config).Value("received", p.ReceivedFrames).Value("sent", p.SentFrames)
                .Value("flooded", p.Flooded).Value("tagsInserted", p.TagsInserted).Value("tagsRemoved", p.TagsRemoved).Value("drops", p.Drops).Build();
        })
        .Build();

    private ObjectInstance Partitions(ScriptPartitions fw)
    {
        const string Name = "name";
        const string Activate = "fw.activate(name, blocks, cores, program, firstBlock)";
        const string ActivateShared = "fw.activateShared(name, blocks, program, weight, loanPolicy)";
        return new Members(engine)
            .Method("activate", 5, a => fw.Activate(Args.Text(a, 0, Activate, Name), Args.Number(a, 1, Activate, "blocks"), Args.Number(a, 2, Activate, "cores"), Args.Text(a, 3, Activate, "program"), Args.Number(a, 4, Activate, "firstBlock", 0)))
            .Method("tryActivate", 5, a => fw.TryActivate(Args.Text(a, 0, Activate, Name), Args.Number(a, 1, Activate, "blocks"), Args.Number(a, 2, Activate, "cores"), Args.Text(a, 3, Activate, "program"), Args.Number(a, 4, Activate, "firstBlock", 0)))
            .Method("run", 1, a => fw.Run(Args.Number(a, 0, "fw.run(instructions)", "instructions")))
            .Method("workload", 5, a => fw.Workload(Args.Text(a, 0, "fw.workload(name, hotPages, delay, coldEvery, printEvery)", Name), Args.Number(a, 1, "fw.workload(name, hotPages, delay, coldEvery, printEvery)", "hotPages"),
                Args.Number(a, 2, "fw.workload(name, hotPages, delay, coldEvery, printEvery)", "delay"), Args.Number(a, 3, "fw.workload(name, hotPages, delay, coldEvery, printEvery)", "coldEvery"), Args.Number(a, 4, "fw.workload(name, hotPages, delay, coldEvery, printEvery)", "printEvery")))
            .Method("state", 1, a => fw.State(Args.Text(a, 0, "fw.state(name)", Name)))
            .Method("fault", 1, a => fw.Fault(Args.Text(a, 0, "fw.fault(name)", Name)))
            .Method("console", 1, a => fw.Console(Args.Text(a, 0, "fw.console(name)", Name)))
            .Method("blocks", 1, a => Numbers(fw.Blocks(Args.Text(a, 0, "fw.blocks(name)", Name))))
            .Method("mapped", 1, a => Numbers(fw.Mapped(Args.Text(a, 0, "fw.mapped(name)", Name))))
            .Method("memory", 1, a => fw.Memory(Args.Text(a, 0, "fw.memory(name)", Name)))
            .Method("cores", 1, a => fw.Cores(Args.Text(a, 0, "fw.cores(name)", Name)))
            .Method("hash", 1, a => fw.Hash(Args.Text(a, 0, "fw.hash(name)", Name)))
            .Method("hashOutside", 1, a => fw.HashOutside(Args.Text(a, 0, "fw.hashOutside(name)", Name)))
            .Method("read", 2, a => fw.Read(Args.Text(a, 0, "fw.read(name, address)", Name), Args.Number(a, 1, "fw.read(name, address)", "address")))
            .Method("addMemory", 2, a => fw.AddMemory(Args.Text(a, 0, "fw.addMemory(name, blocks)", Name), Args.Number(a, 1, "fw.addMemory(name, blocks)", "blocks")))
            .Method("removeMemory", 2, a => fw.RemoveMemory(Args.Text(a, 0, "fw.removeMemory(name, blocks)", Name), Args.Number(a, 1, "fw.removeMemory(name, blocks)", "blocks")))
            .Method("tryRemoveMemory", 2, a => fw.TryRemoveMemory(Args.Text(a, 0, "fw.tryRemoveMemory(name, blocks)", Name), Args.Number(a, 1, "fw.tryRemoveMemory(name, blocks)", "blocks")))
            .Method("addCore", 1, a => fw.AddCore(Args.Text(a, 0, "fw.addCore(name)", Name)))
            .Method("removeCore", 1, a => fw.RemoveCore(Args.Text(a, 0, "fw.removeCore(name)", Name)))
            .Method("sharedPool", 1, a => fw.SharedPool(Args.Number(a, 0, "fw.sharedPool(blocks)", "blocks")))
            .Method("activateShared", 5, a => fw.ActivateShared(Args.Text(a, 0, ActivateShared, Name), Args.Number(a, 1, ActivateShared, "blocks"), Args.Text(a, 2, ActivateShared, "program"),
                Args.Number(a, 3, ActivateShared, "weight", 128), Args.Text(a, 4, ActivateShared, "loanPolicy", "cache")))
            .Method("paging", 1, a => Paging(fw.Paging(Args.Text(a, 0, "fw.paging(name)", Name))))
            .Method("pool", 0, _ =>
            {
                var pool = fw.Pool;
                return new Members(engine).Value("frames", pool.Frames).Value("freeFrames", pool.FreeFrames).Value("pagesHeld", pool.Device.PagesHeld)
                    .Value("reads", pool.Device.Reads).Value("writes", pool.Device.Writes).Value("firmwareCycles", pool.FirmwareCycles).Build();
            })
            .Method("symbol", 2, a => fw.Symbol(Args.Text(a, 0, "fw.symbol(name, label)", Name), Args.Text(a, 1, "fw.symbol(name, label)", "label")))
            .Getter("freeBlocks", () => fw.FreeBlocks)
            .Getter("freeCores", () => fw.FreeCores)
            .Build();
    }

    // A snapshot of a shared-memory partition's paging, taken when asked.
    private ObjectInstance Paging(VirtualizationWorkbench.Partitioning.Memory.Sharing.SharedMemoryPartition p) => new Members(engine)
        .Value("name", p.Partition.Name)
        .Value("weight", p.Weight)
        .Value("resident", p.ResidentPages)
        .Value("faults", p.Faults)
        .Value("pageIns", p.PageIns)
        .Value("pageOuts", p.PageOuts)
        .Value("zeroFills", p.ZeroFills)
        .Value("loanedFree", p.LoanedFree)
        .Value("loanedCache", p.LoanedCache)
        .Value("pagingCycles", p.PagingCycles)
        .Value("cycles", p.Partition.Cycles)
        .Build();

    // What an Active Memory Expansion run left: its pools, the factor, the cost.
    private ObjectInstance Expansion((VirtualizationWorkbench.Partitioning.Memory.ActiveMemoryExpansion Expansion, uint Corrupt) run)
    {
        var e = run.Expansion;
        return new Members(engine)
            .Value("logicalPages", e.LogicalPages)
            .Value("frames", e.UncompressedPages)
            .Value("u", e.U)
            .Value("c", Math.Round(e.C, 3))
            .Value("ratio", Math.Round(e.Ratio, 3))
            .Value("achieved", Math.Round(e.AchievedFactor, 3))
            .Value("formula", Math.Round(e.FormulaFactor, 3))
            .Value("deficit", Math.Round(e.Deficit, 3))
            .Value("faults", e.Faults)
            .Value("compressions", e.Compressions)
            .Value("decompressions", e.Decompressions)
            .Value("expansionCycles", e.Cycles)
            .Value("cycles", e.Partition.Cycles)
            .Value("corrupt", run.Corrupt)
            .Build();
    }

    private ObjectInstance Migration(VirtualizationWorkbench.Partitioning.Migration.MigrationResult r) => new Members(engine)
        .Getter("rounds", () => Numbers([.. r.Rounds.Select(x => (double)x.Pages)]))
        .Value("totalPages", r.TotalPages)
        .Value("downtimeMs", Math.Round(r.DowntimeMilliseconds, 3))
        .Value("totalMs", Math.Round(r.TotalMilliseconds, 3))
        .Getter("memoryMatches", () => r.MemoryMatches)
        .Getter("guestContinued", () => r.GuestContinued)
        .Value("demandFetches", r.DemandFetches)
        .Value("dirtyFaults", r.DirtyFaults)
        .Build();

    private JsArray Numbers(double[] values) => new(engine, [.. values.Select(v => (JsValue)JsNumber.Create(v))]);

    private ObjectInstance Rv32(ScriptRv32 p) => new Members(engine)
        .Value("entry", p.Entry)
        .Method("run", 4, a =>
        {
            const string Call = "p.run(engine, args, input, maxSteps)";
            var run = p.Run(Args.Text(a, 0, Call, "engine"), Args.Text(a, 1, Call, "args", ""), Args.Text(a, 2, Call, "input", ""), Args.Number(a, 3, Call, "maxSteps", 100_000_000));
            return new Members(engine).Value("outcome", run.Outcome).Value("exitCode", run.ExitCode).Value("output", run.Output).Value("message", run.Message)
                .Value("instructions", run.Instructions).Value("cycles", run.Cycles).Value("blocksTranslated", run.BlocksTranslated).Value("systemCalls", run.SystemCalls).Build();
        })
        .Method("system", 2, a =>
        {
            const string Call = "p.system(engine, maxSteps)";
            var run = p.System(Args.Text(a, 0, Call, "engine"), Args.Number(a, 1, Call, "maxSteps", 100_000_000));
            return new Members(engine).Value("outcome", run.Outcome).Value("exitCode", run.ExitCode).Value("console", run.Console).Value("message", run.Message)
                .Value("instructions", run.Instructions).Build();
        })
        .Method("disassemble", 1, a => p.Disassemble(Args.Number(a, 0, "p.disassemble(address)", "address")))
        .Build();

    private ObjectInstance Bytecode(ScriptBytecode p) => new Members(engine)
        .Value("functions", p.Functions.Length)
        .Method("functionName", 1, a => p.Functions[Math.Clamp(Args.Integer(a, 0, "p.functionName(index)", "index"), 0, p.Functions.Length - 1)])
        .Value("size", p.Size)
        .Method("run", 2, a =>
        {
            var r = p.Run(Args.Text(a, 0, "p.run(platform, maxSteps)", "platform"), Args.Number(a, 1, "p.run(platform, maxSteps)", "maxSteps", 1_000_000));
            return new Members(engine).Value("output", r.Output).Value("value", r.Value).Value("error", r.Error).Value("steps", r.Steps)
                .Value("cycles", r.Cycles).Value("instructions", r.Instructions).Value("compiled", string.Join(",", r.Compiled)).Build();
        })
        .Build();

    private ObjectInstance Exit(ScriptExit exit) => new Members(engine)
        .Value("reason", exit.Reason)
        .Value("pc", exit.Pc)
        .Value("vector", exit.Vector)
        .Value("errorCode", exit.ErrorCode)
        .Value("address", exit.Address)
        .Value("message", exit.Message)
        .Method("toString", 0, _ => exit.ToString())
        .Build();

    private ObjectInstance MonitorRun(ScriptMonitorRun run) => new Members(engine)
        .Value("outcome", run.Outcome)
        .Value("message", run.Message)
        .Method("toString", 0, _ => run.ToString())
        .Build();

    private ObjectInstance OverheadRow(OverheadRow row) => new Members(engine)
        .Value("name", row.Name)
        .Value("native", row.Native)
        .Value("binaryTranslation", row.BinaryTranslation)
        .Value("paravirtualization", row.Paravirtualization)
        .Value("hardwareAssisted", row.HardwareAssisted)
        .Build();

    private ClrFunction Function(string name, int length, Action<JsValue[]> body) =>
        new(engine, name, (_, args) =>
        {
            body(args);
            return JsValue.Undefined;
        }, length, PropertyFlag.Configurable);

    /// <summary>
    /// A script's value as a plain .NET value (see <see cref="LabScriptGlobals"/>). Arrays are copied at most 4
    /// deep and 1,000 elements wide (the rest become "…"), so a script cannot hand the checker an unbounded
    /// structure.
    /// </summary>
    internal static object? ToClr(JsValue value, int depth = 0)
    {
        if (value.IsUndefined() || value.IsNull()) return null;
        if (value.IsNumber()) return value.AsNumber();
        if (value.IsString()) return value.AsString();
        if (value.IsBoolean()) return value.AsBoolean();
        // A real array only: a Proxy of one answers IsArray() too, but is not a JsArray to read.
        if (value is JsArray array && depth < 4)
        {
            var count = (int)Math.Min(array.Length, 1000u);
            var items = new object?[count + (array.Length > count ? 1 : 0)];
            for (var i = 0; i < count; i++) items[i] = ToClr(array[i], depth + 1);
            if (count < items.Length) items[^1] = "…";
            return items;
        }
        // Symbols refuse to become strings; everything else becomes the text JavaScript makes of it.
        return value.IsSymbol() ? value.ToString() : TypeConverter.ToString(value);
    }

    /// <summary>One object's members, added in the order scripts will list them.</summary>
    private sealed class Members(Engine engine)
    {
        private readonly JsObject target = new(engine);

        public Members Method(string name, int length, Func<JsValue[], JsValue> body) =>
            Add(name, new ClrFunction(engine, name, (_, args) => body(args), length, PropertyFlag.Configurable));

        public Members Method(string name, int length, Func<JsValue[], double> body) => Method(name, length, a => (JsValue)JsNumber.Create(body(a)));

        public Members Method(string name, int length, Func<JsValue[], string> body) => Method(name, length, a => (JsValue)new JsString(body(a)));

        public Members Method(string name, int length, Func<JsValue[], bool> body) => Method(name, length, a => body(a) ? JsBoolean.True : JsBoolean.False);

        public Members Method(string name, int length, Action<JsValue[]> body) => Method(name, length, a =>
        {
            body(a);
            return JsValue.Undefined;
        });

        public Members Getter(string name, Func<double> get) => Getter(name, () => (JsValue)JsNumber.Create(get()));

        public Members Getter(string name, Func<string> get) => Getter(name, () => (JsValue)new JsString(get()));

        public Members Getter(string name, Func<bool> get) => Getter(name, () => get() ? JsBoolean.True : JsBoolean.False);

        public Members Getter(string name, Func<JsValue> get)
        {
            var getter = new ClrFunction(engine, "get " + name, (_, _) => get(), 0, PropertyFlag.Configurable);
            target.FastSetProperty(name, new GetSetPropertyDescriptor(getter, JsValue.Undefined, enumerable: true, configurable: false));
            return this;
        }

        public Members Value(string name, double value) => Add(name, JsNumber.Create(value));

        public Members Value(string name, string value) => Add(name, new JsString(value));

        public Members Value(string name, bool value) => Add(name, value ? JsBoolean.True : JsBoolean.False);

        public ObjectInstance Build()
        {
            target.PreventExtensions();
            return target;
        }

        private Members Add(string name, JsValue value)
        {
            target.FastSetProperty(name, new PropertyDescriptor(value, writable: false, enumerable: true, configurable: false));
            return this;
        }
    }

    /// <summary>Reading a host function's arguments.</summary>
    private static class Args
    {
        public static JsValue At(JsValue[] args, int index) => index < args.Length ? args[index] : JsValue.Undefined;

        public static double Number(JsValue[] args, int index, string call, string name, double? fallback = null)
        {
            var value = At(args, index);
            if (value.IsNumber()) return value.AsNumber();
            if (value.IsUndefined() && fallback is { } given) return given;
            throw new ScriptFailure($"{call}: {name} must be a number, not {Describe(value)}");
        }

        public static int Integer(JsValue[] args, int index, string call, string name)
        {
            var number = Number(args, index, call, name);
            return number is >= int.MinValue and <= int.MaxValue ? (int)number : throw new ScriptFailure($"{call}: {name} must be a whole number, not {number}");
        }

        public static string Text(JsValue[] args, int index, string call, string name, string? fallback = null)
        {
            var value = At(args, index);
            if (value.IsString()) return value.AsString();
            if (value.IsUndefined() && fallback is not null) return fallback;
            throw new ScriptFailure($"{call}: {name} must be a string, not {Describe(value)}");
        }

        /// <summary>A check's message: any value, as text; nothing if it was left out.</summary>
        public static string Message(JsValue[] args, int index)
        {
            var value = At(args, index);
            return value.IsUndefined() ? "" : value.IsSymbol() ? value.ToString() : TypeConverter.ToString(value);
        }

        private static string Describe(JsValue value) =>
            value.IsUndefined() ? "undefined (is it missing?)" : value.IsString() ? $"the string '{value.AsString()}'" : value.IsObject() ? "an object" : value.ToString();
    }
}
