using System.Diagnostics;
using Debugger = VirtualizationWorkbench.Machine.Debugging.Debugger;
using System.Globalization;
using System.Text;
using VirtualizationWorkbench.Machine;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Machine.Cpu;
using VirtualizationWorkbench.Machine.Debugging;
using VirtualizationWorkbench.Machine.Memory;

namespace VirtualizationWorkbench.Workbench.Terminal.ViewModels;

/// <summary>
/// The machine inspector's state and actions: a <see cref="Computer"/> driven through a <see cref="Debugger"/>
/// (step, step over, run, pause, step back, run to cursor, breakpoints), a disassembly cursor and a memory
/// address. While the machine runs, the core runs in slices on a background task and publishes a
/// <see cref="MachineView"/> every <see cref="PublishInterval"/>; the screen only reads the latest one, so
/// drawing never stops the core. Every other action needs the machine paused.
/// </summary>
public sealed class InspectorViewModel : IDisposable
{
    /// <summary>Instructions per slice of a run: small enough that a pause or a publish comes within about a
    /// millisecond, large enough that slicing costs nothing measurable.</summary>
    public const long Slice = 20_000;

    /// <summary>The least time between two views a running machine publishes (and it publishes only when the
    /// screen has asked since the last one): 40 ms, so a screen drawing 15 frames a second gets a new view for each.</summary>
    public static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(40);

    // Step-back keeps a whole-machine checkpoint every CheckpointInterval instructions. A long run would keep
    // one per interval forever, so after HistoryCheckpoints of them the history starts again from "now":
    // step-back then reaches back at least (HistoryCheckpoints - 1) intervals, with bounded memory.
    private const long CheckpointInterval = 1_000_000;
    private const int HistoryCheckpoints = 8;
    private const int ConsoleLimit = 8192;

    private readonly Computer computer;
    private readonly List<uint> instructions = [];
    private readonly Dictionary<uint, int> instructionIndex = [];
    private readonly StringBuilder console = new();
    private Debugger debugger;
    private ulong historyStart;
    private int cursor;
    private Task? runner;
    private volatile bool pauseRequested;
    private volatile MachineView? published;
    private volatile bool running;
    private volatile bool viewWanted;
    private string state = "paused at the entry point";
    private (int Disassembly, int Memory, int PageTables, int Trace, int Console) rows = (12, 8, 8, 8, 6);

    /// <summary>Loads <paramref name="program"/> into a fresh machine of <paramref name="configuration"/>.</summary>
    public InspectorViewModel(InspectedProgram program, MachineConfiguration? configuration = null)
    {
        Program = program;
        computer = new Computer(configuration ?? new MachineConfiguration());
        computer.Load(program.Image);
        debugger = new Debugger(computer, 0, CheckpointInterval);
        foreach (var segment in program.Image.Segments)
        {
            var offset = 0u;
            while (offset < segment.Bytes.Length)
            {
                var address = segment.Address + offset;
                instructionIndex[address] = instructions.Count;
                instructions.Add(address);
                var decoded = Decode(address, segment.Bytes, offset);
                offset += (uint)(decoded.Length == 0 ? 4 : decoded.Length);
            }
        }
        MemoryAddress = program.Image.Segments.Count > 0 ? program.Image.Segments[0].Address : 0;
        FollowPc();
    }

    /// <summary>The program being inspected.</summary>
    public InspectedProgram Program { get; }

    /// <summary>The machine (for tests and the benchmark).</summary>
    public Computer Computer => computer;

    /// <summary>Whether the core is running on its background task.</summary>
    public bool Running => running;

    /// <summary>The address the disassembly cursor is on.</summary>
    public uint CursorAddress => instructions.Count == 0 ? debugger.Core.State.Pc : instructions[cursor];

    /// <summary>The first address of the memory view.</summary>
    public uint MemoryAddress { get; private set; }

    /// <summary>The breakpoints.</summary>
    public IReadOnlyCollection<uint> Breakpoints => (IReadOnlyCollection<uint>)debugger.Breakpoints;

    /// <summary>A line of news: why the machine stopped, what cannot be done now.</summary>
    public string? Message { get; private set; }

    /// <summary>Sets how many rows each panel shows; 0 for a panel not on screen, which is then not worked out
    /// at all (a running core pays for every view it publishes).</summary>
    public void SetRows(int disassembly, int memory, int pageTables, int trace, int consoleLines) =>
        rows = (Math.Max(1, disassembly), Math.Max(0, memory), Math.Max(0, pageTables), Math.Max(0, trace), Math.Max(0, consoleLines));

    /// <summary>The machine as it is now; while running, the latest view the core published (and the core is
    /// asked for a fresh one: it publishes only when someone looks).</summary>
    public MachineView View()
    {
        if (running && published is { } latest)
        {
            viewWanted = true;
            return latest;
        }
        return Capture();
    }

    /// <summary>Executes one instruction.</summary>
    public void Step()
    {
        if (Busy()) return;
        var exit = debugger.Step();
        After(exit, "stepped");
    }

    /// <summary>Executes one instruction, or a whole call (running until it returns to the next instruction).</summary>
    public void StepOver()
    {
        if (Busy()) return;
        var pc = debugger.Core.State.Pc;
        var decoded = DecodeAt(pc);
        if (decoded.Text.StartsWith("call", StringComparison.Ordinal))
        {
            Start(pc + (uint)decoded.Length);
            return;
        }
        After(debugger.Step(), "stepped");
    }

    /// <summary>Goes back one instruction (deterministic replay from the nearest checkpoint).</summary>
    public void StepBack()
    {
        if (Busy()) return;
        var before = debugger.Time;
        if (before <= historyStart)
        {
            Message = before == 0 ? "this is the start: nothing to step back to" : $"the history starts at instruction {historyStart:N0}; it cannot go further back";
            return;
        }
        debugger.StepBack();
        console.Clear();
        state = $"stepped back to instruction {debugger.Time:N0}";
        Message = "stepped back (the guest console shows output from here on)";
        FollowPc();
    }

    /// <summary>Goes back to the last time the pc was at a breakpoint (reverse-continue): the history is replayed
    /// to find it, exactly, and the trace rewinds with it.</summary>
    public void ReverseContinue()
    {
        if (Busy()) return;
        if (debugger.Breakpoints.Count == 0)
        {
            Message = "no breakpoints: set one (space) to go back to";
            return;
        }
        if (!debugger.ReverseContinue())
        {
            Message = historyStart == 0
                ? "no breakpoint was reached before now"
                : $"no breakpoint was reached since instruction {historyStart:N0}, where the history starts";
            return;
        }
        console.Clear();
        state = $"back at the breakpoint at 0x{debugger.Core.State.Pc:x8}, instruction {debugger.Time:N0}";
        Message = "went back to the previous breakpoint (the guest console shows output from here on)";
        FollowPc();
    }

    /// <summary>Runs until a breakpoint, an exit or a pause.</summary>
    public void Run()
    {
        if (Busy()) return;
        Start(null);
    }

    /// <summary>Runs until the pc reaches the cursor's instruction.</summary>
    public void RunToCursor()
    {
        if (Busy()) return;
        Start(CursorAddress);
    }

    /// <summary>Asks the running core to stop after its current slice and waits for it.</summary>
    public void Pause()
    {
        if (!running || runner is null) return;
        pauseRequested = true;
        runner.Wait();
    }

    /// <summary>Run or pause, whichever applies.</summary>
    public void ToggleRun()
    {
        if (running) Pause();
        else Run();
    }

    /// <summary>Sets or clears a breakpoint at the cursor.</summary>
    public void ToggleBreakpoint()
    {
        if (Busy()) return;
        var address = CursorAddress;
        if (!debugger.Breakpoints.Remove(address)) debugger.Breakpoints.Add(address);
        Message = debugger.Breakpoints.Contains(address) ? $"breakpoint set at 0x{address:x8}" : $"breakpoint cleared at 0x{address:x8}";
    }

    /// <summary>Moves the disassembly cursor by <paramref name="instructionsBy"/> (negative: up), staying in the
    /// program; false if there is no program text to move in.</summary>
    public bool MoveCursor(int instructionsBy)
    {
        if (instructions.Count == 0) return false;
        cursor = (int)Math.Clamp((long)cursor + instructionsBy, 0, instructions.Count - 1);
        return true;
    }

    /// <summary>Puts the disassembly cursor on the instruction at <paramref name="address"/> (if there is one).</summary>
    public void CursorTo(uint address)
    {
        if (instructionIndex.TryGetValue(address, out var i)) cursor = i;
    }

    /// <summary>Rows of disassembly shown, as set by <see cref="SetRows"/> (a page for the cursor).</summary>
    public int DisassemblyRows => rows.Disassembly;

    /// <summary>Puts the cursor back on the pc.</summary>
    public void FollowPc()
    {
        if (instructionIndex.TryGetValue(debugger.Core.State.Pc, out var i)) cursor = i;
    }

    /// <summary>Points the memory view at an address: hex (<c>0x1000</c> or <c>1000h</c>), decimal, a register
    /// (<c>sp</c>, <c>r3</c>) or a label of the program.</summary>
    public void ShowMemoryAt(string text)
    {
        var t = text.Trim();
        uint? address = null;
        if (Program.Image.Symbols.TryGetValue(t, out var symbol)) address = symbol;
        else if (t == "sp") address = debugger.Core.State.R[15];
        else if (t == "pc") address = debugger.Core.State.Pc;
        else if (t.Length > 1 && t[0] == 'r' && int.TryParse(t[1..], CultureInfo.InvariantCulture, out var r) && r is >= 0 and < 16) address = debugger.Core.State.R[r];
        else if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && uint.TryParse(t[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex)) address = hex;
        else if (t.EndsWith('h') && uint.TryParse(t[..^1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex2)) address = hex2;
        else if (uint.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var dec)) address = dec;
        if (address is null)
        {
            Message = $"'{text}' is not an address: write 0x1000, 4096, a register (sp, r3) or a label ({string.Join(", ", Program.Image.Symbols.Keys.Take(5))}…)";
            return;
        }
        MemoryAddress = address.Value & ~0xFu;
        Message = $"memory at 0x{MemoryAddress:x8}";
    }

    /// <summary>Moves the memory view by whole rows.</summary>
    public void ScrollMemory(int rowsBy) => MemoryAddress = unchecked(MemoryAddress + (uint)(rowsBy * 16));

    /// <summary>Stops the background run, if any.</summary>
    public void Dispose() => Pause();

    private bool Busy()
    {
        if (!running) return false;
        Message = "the machine is running: pause it first (r or F5)";
        return true;
    }

    private void Start(uint? target)
    {
        pauseRequested = false;
        running = true;
        Message = target is { } t ? $"running to 0x{t:x8}…" : "running… (r or F5 pauses)";
        published = Capture();
        runner = Task.Run(() => RunSlices(target));
    }

    // The background task: the only code touching the machine while `running` is set.
    private void RunSlices(uint? target)
    {
        var clock = Stopwatch.StartNew();
        var lastPublish = TimeSpan.Zero;
        RunExit? stop = null;
        try
        {
            while (!pauseRequested)
            {
                var exit = target is { } t ? debugger.RunTo(t, Slice) : debugger.Continue(Slice);
                DrainConsole();
                if (exit.Reason != ExitReason.BudgetSpent)
                {
                    stop = exit;
                    break;
                }
                if (debugger.Time - historyStart >= CheckpointInterval * HistoryCheckpoints) RenewHistory();
                if (viewWanted && clock.Elapsed - lastPublish >= PublishInterval)
                {
                    viewWanted = false;
                    lastPublish = clock.Elapsed;
                    published = Capture(runningNow: true);
                }
            }
            if (stop is { } s) After(s, "stopped");
            else
            {
                state = $"paused at instruction {debugger.Time:N0}";
                Message = "paused";
                FollowPc();
            }
        }
        catch (Exception e)
        {
            // A fault in the simulator must not take the terminal down with it: report it and stop.
            state = "stopped by an internal error";
            Message = $"the machine stopped on an internal error: {e.GetType().Name}: {e.Message}";
        }
        finally
        {
            running = false;
        }
    }

    private void RenewHistory()
    {
        var breakpoints = debugger.Breakpoints.ToList();
        debugger = new Debugger(computer, 0, CheckpointInterval);
        foreach (var b in breakpoints) debugger.Breakpoints.Add(b);
        historyStart = debugger.Time;
    }

    private void After(RunExit exit, string verb)
    {
        DrainConsole();
        state = exit.Reason switch
        {
            ExitReason.BudgetSpent or ExitReason.Stopped => $"{verb} to 0x{exit.Pc:x8}",
            ExitReason.Breakpoint => $"breakpoint at 0x{exit.Pc:x8}",
            ExitReason.Halt => $"halted at 0x{exit.Pc:x8}",
            ExitReason.Watchpoint => $"watchpoint at 0x{exit.Pc:x8}",
            _ => $"stopped: {exit}",
        };
        Message = exit.Reason switch
        {
            ExitReason.Halt => $"the machine halted (hlt at 0x{exit.Pc:x8}) after {debugger.Time:N0} instructions",
            ExitReason.Shutdown => $"the guest shut down: {exit.Message}",
            ExitReason.BudgetSpent or ExitReason.Breakpoint or ExitReason.Stopped => state,
            _ => $"exit to the host: {exit}",
        };
        FollowPc();
    }

    private void DrainConsole()
    {
        var bytes = computer.Console.Drain();
        if (bytes.Length == 0) return;
        lock (console)
        {
            console.Append(Encoding.UTF8.GetString(bytes));
            if (console.Length > ConsoleLimit) console.Remove(0, console.Length - ConsoleLimit);
        }
    }

    private MachineView Capture(bool runningNow = false)
    {
        var core = debugger.Core;
        ref var s = ref core.State;
        var registers = new uint[16];
        for (var i = 0; i < 16; i++) registers[i] = s.R[i];
        var pc = s.Pc;
        var consoleText = "";
        if (rows.Console > 0)
        {
            lock (console) consoleText = console.ToString();
        }
        var consoleLines = consoleText.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        // The trace is copied whole by the debugger (thousands of events): only when its panel is shown.
        var events = rows.Trace > 0 ? debugger.Events : [];
        return new MachineView
        {
            Pc = pc,
            Ring = s.Cpl,
            Flags = s.Flags,
            FlagNames = Flags.Describe(s.Flags),
            Registers = registers,
            Control = [("cr0", s.Cr0), ("cr2", s.Cr2), ("cr3", s.Cr3), ("ksp", s.Ksp), ("cr8", s.Cr8), ("idtr", s.Idtr)],
            Disassembly = Disassembly(pc, runningNow),
            Memory = rows.Memory > 0 ? MemoryRows() : [],
            PageTables = rows.PageTables > 0 ? PageTables(s.Cr0, s.Cr3, pc) : [],
            Counters = [.. core.Counters.Describe().Where(c => c.Key != "halted-cycles" || c.Value != 0).Select(c => new CounterValue(c.Key, c.Value))],
            Trace = [.. events.Skip(Math.Max(0, events.Count - rows.Trace)).Select(e => e.ToString())],
            Console = consoleLines[Math.Max(0, consoleLines.Length - rows.Console)..],
            Running = runningNow,
            State = runningNow ? $"running: {debugger.Time:N0} instructions" : state,
            Time = debugger.Time,
        };
    }

    private List<DisassemblyLine> Disassembly(uint pc, bool runningNow)
    {
        var lines = new List<DisassemblyLine>();
        var breakpoints = debugger.Breakpoints;
        // While running, the view follows the pc; paused, it follows the cursor the student moves.
        var centre = runningNow && instructionIndex.TryGetValue(pc, out var p) ? p : cursor;
        if (instructions.Count == 0 || !instructionIndex.ContainsKey(pc) && runningNow)
        {
            var address = pc;
            for (var i = 0; i < rows.Disassembly; i++)
            {
                var d = DecodeAt(address);
                lines.Add(Line(address, d, pc, breakpoints, isCursor: false));
                address += (uint)(d.Length == 0 ? 4 : d.Length);
            }
            return lines;
        }
        var first = Math.Clamp(centre - rows.Disassembly / 3, 0, Math.Max(0, instructions.Count - rows.Disassembly));
        for (var i = first; i < Math.Min(instructions.Count, first + rows.Disassembly); i++)
        {
            var address = instructions[i];
            lines.Add(Line(address, DecodeAt(address), pc, breakpoints, isCursor: i == cursor && !runningNow));
        }
        return lines;
    }

    private DisassemblyLine Line(uint address, DecodedInstruction d, uint pc, ISet<uint> breakpoints, bool isCursor)
    {
        var length = d.Length == 0 ? 4 : d.Length;
        var bytes = new StringBuilder();
        for (var w = 0; w < length; w += 4) bytes.Append(CultureInfo.InvariantCulture, $"{debugger.Read(address + (uint)w):x8} ");
        return new DisassemblyLine(address, Program.Image.LabelAt(address), bytes.ToString().TrimEnd(), d.Text, address == pc, isCursor, breakpoints.Contains(address));
    }

    private DecodedInstruction DecodeAt(uint address) =>
        Disassembler.Decode(address, debugger.Read(address), debugger.Read(address + 4), Program.Image);

    private DecodedInstruction Decode(uint address, byte[] bytes, uint offset)
    {
        uint Word(uint at) => at + 4 <= bytes.Length ? BitConverter.ToUInt32(bytes, (int)at) : 0;
        return Disassembler.Decode(address, Word(offset), Word(offset + 4), Program.Image);
    }

    private List<string> MemoryRows()
    {
        var result = new List<string>();
        Span<byte> row = stackalloc byte[16];
        for (var r = 0; r < rows.Memory; r++)
        {
            var address = unchecked(MemoryAddress + (uint)(r * 16));
            var read = debugger.Core.ReadVirtual(address, row);
            var hex = new StringBuilder();
            var ascii = new StringBuilder();
            for (var i = 0; i < 16; i++)
            {
                if (i == 8) hex.Append(' ');
                hex.Append(i < read ? row[i].ToString("x2", CultureInfo.InvariantCulture) : "??").Append(' ');
                ascii.Append(i < read ? (row[i] is >= 32 and < 127 ? (char)row[i] : '.') : ' ');
            }
            result.Add($"{address:x8} {hex}|{ascii}|");
        }
        return result;
    }

    private List<string> PageTables(uint cr0, uint cr3, uint pc)
    {
        if ((cr0 & ControlRegister.PagingEnabled) == 0)
        {
            return ["paging is off (cr0 bit 0 is clear):", "linear addresses are physical addresses"];
        }
        var lines = new List<string> { $"directory at 0x{cr3 & PageTableEntry.FrameMask:x8} (cr3)" };
        var ram = computer.Memory;
        var core = debugger.Core;
        uint Physical(uint gpa) => core.MemoryBase + gpa;
        var directory = cr3 & PageTableEntry.FrameMask;
        var pcDirectory = PageTableEntry.DirectoryIndex(pc);
        for (var i = 0u; i < 1024 && lines.Count < rows.PageTables; i++)
        {
            var at = Physical(directory + i * 4);
            if (!ram.Contains(at, 4)) break;
            var pde = ram.ReadWord(at);
            if ((pde & PageTableEntry.Present) == 0) continue;
            lines.Add($"PDE {i,4} va {i << 22:x8}  table {pde & PageTableEntry.FrameMask:x8} {Bits(pde)}{(i == pcDirectory ? "  ◀ pc" : "")}");
            if (i != pcDirectory) continue;
            // The table that maps the pc: its present entries around the pc's page.
            var table = pde & PageTableEntry.FrameMask;
            var pcIndex = PageTableEntry.TableIndex(pc);
            var from = pcIndex >= 2 ? pcIndex - 2 : 0;
            for (var j = from; j < 1024 && lines.Count < rows.PageTables - 1; j++)
            {
                var pteAt = Physical(table + j * 4);
                if (!ram.Contains(pteAt, 4)) break;
                var pte = ram.ReadWord(pteAt);
                if ((pte & PageTableEntry.Present) == 0) continue;
                lines.Add($"  PTE {j,4} va {(i << 22) | (j << 12):x8} → {pte & PageTableEntry.FrameMask:x8} {Bits(pte)}{(j == pcIndex ? " ◀ pc" : "")}");
            }
        }
        var counters = core.Counters;
        var tlb = core.TlbContents();
        lines.Add($"TLB: {tlb.Count} of 64 entries valid, {counters.TlbHits:N0} hits, {counters.TlbMisses:N0} misses");
        foreach (var entry in tlb.Take(Math.Max(0, rows.PageTables - lines.Count)))
        {
            var rights = $"{(entry.UserRead ? "user" : "kernel")}{(entry.SupervisorWrite ? " rw" : " ro")}";
            lines.Add($"  slot {entry.Slot,2} va {entry.VirtualPage:x8} → {entry.Frame:x8} {rights}");
        }
        return lines;
    }

    private static string Bits(uint entry) =>
        $"{((entry & PageTableEntry.Present) != 0 ? 'P' : '-')}{((entry & PageTableEntry.Writable) != 0 ? 'W' : '-')}{((entry & PageTableEntry.User) != 0 ? 'U' : '-')}{((entry & PageTableEntry.Accessed) != 0 ? 'A' : '-')}{((entry & PageTableEntry.Dirty) != 0 ? 'D' : '-')}";
}
