using System.Globalization;
using VirtualizationWorkbench.Machine.Assembler;
using VirtualizationWorkbench.Network.Ethernet;
using VirtualizationWorkbench.Network.Switching;

namespace VirtualizationWorkbench.Network.Scenarios;

/// <summary>
/// Reads the scenario format (<c>curriculum/reference/network-scenarios.md</c>): one directive a line, words
/// separated by spaces, options as <c>key=value</c>, <c>#</c> to the end of the line a comment. Every mistake is
/// a <see cref="ScenarioError"/> at its <c>FILE:LINE:COLUMN</c>, the first one found.
/// </summary>
public static class ScenarioParser
{
    /// <summary>Scenario files larger than this are refused before they are read.</summary>
    public const int MaximumLength = 1024 * 1024;

    /// <summary>The guest programs the runner carries; any other program is a <c>.s</c> file.</summary>
    public static IReadOnlyList<string> BuiltInPrograms { get; } = ["ping", "echo", "stream"];

    private static readonly string[] Directives = ["name", "duration", "cpu", "switch", "port", "link", "machine", "capture", "at", "vlan"];

    /// <summary>Reads a scenario file.</summary>
    public static Scenario ParseFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new ScenarioError(path, 0, 0, "no such scenario file", $"built-in scenarios are {string.Join(", ", BuiltInScenarios.Names)}");
        if (info.Length > MaximumLength) throw new ScenarioError(path, 0, 0, $"the file is {info.Length:N0} bytes; a scenario is at most 1 MiB");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads scenario text; <paramref name="file"/> names it in errors.</summary>
    public static Scenario Parse(string text, string file)
    {
        if (text.Length > MaximumLength) throw new ScenarioError(file, 0, 0, "the text is over 1 MiB; a scenario is at most 1 MiB");
        var state = new State(file);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var words = Words(lines[i].TrimEnd('\r'), file, i + 1);
            if (words.Count == 0) continue;
            Directive(state, words, i + 1);
        }
        return state.Finish();
    }

    /// <summary>Reads one change typed on a command line or by a lab script: a <c>port</c> or <c>vlan</c> line,
    /// optionally after <c>at TIME</c>.</summary>
    public static TimedChange ParseChange(string text, string where, long now)
    {
        var words = Words(text, where, 1);
        if (words.Count == 0) throw new ScenarioError(where, 1, 1, "an empty change", "write e.g. 'port sw.2 access vlan=20' or 'at 50ms vlan add sw.1 30'");
        var tick = now;
        if (words[0].Text == "at")
        {
            if (words.Count < 3) throw words[0].Error("'at' takes a time and a change", "at 50ms port sw.2 access vlan=20");
            tick = Time(words[1]);
            words = words.Skip(2).ToList();
        }
        return new TimedChange(tick, Change(words, "a change"));
    }

    /// <summary>Ticks of 100 µs from a time such as <c>500ms</c>, <c>2s</c> or <c>300us</c>; <paramref name="where"/>
    /// names it in errors.</summary>
    public static long ParseTime(string text, string where) => Time(new Word(text.Trim(), new SourceSpot(where, 1, 1)));

    private sealed class State(string file)
    {
        public readonly string File = file;
        public string? Name;
        public long Duration = 5000;
        public int InstructionsPerTick = 1000;
        public readonly List<SwitchSpec> Switches = [];
        public readonly List<ScenarioChange> Ports = [];
        public readonly List<LinkSpec> Links = [];
        public readonly List<MachineSpec> Machines = [];
        public readonly List<(PortRef Port, SourceSpot Spot)> Captures = [];
        public readonly List<TimedChange> Timeline = [];
        public readonly List<(Word Peer, int Machine)> Peers = [];

        public Scenario Finish()
        {
            if (Switches.Count == 0) throw new ScenarioError(File, 0, 0, "the scenario has no switch", "add e.g. 'switch sw ports=4'");
            var used = new Dictionary<PortRef, string>();
            void Use(PortRef port, SourceSpot spot, string what)
            {
                CheckPort(port, spot);
                if (used.TryGetValue(port, out var other)) throw spot.Error($"port {port} is already used by {other}", "each port takes one cable: give this one another port");
                used[port] = what;
            }
            foreach (var change in Ports.Concat(Timeline.Select(t => t.Change))) CheckChange(change);
            foreach (var link in Links)
            {
                Use(link.A, link.Spot, $"the link at line {link.Spot.Line}");
                Use(link.B, link.Spot, $"the link at line {link.Spot.Line}");
            }
            Loops();
            for (var i = 0; i < Machines.Count; i++)
            {
                Use(Machines[i].Port, Machines[i].Spot, $"machine {Machines[i].Name}");
            }
            foreach (var (port, spot) in Captures) CheckPort(port, spot);
            var machines = Machines.ToList();
            foreach (var (peer, index) in Peers)
            {
                var target = Machines.FirstOrDefault(m => m.Name == peer.Text)
                    ?? throw peer.Error($"no machine named '{peer.Text}'", Machines.Count == 0 ? "declare it with a machine line" : $"machines: {string.Join(", ", Machines.Select(m => m.Name))}");
                machines[index] = machines[index] with { PeerMac = target.Mac };
            }
            return new Scenario
            {
                Name = Name ?? Path.GetFileNameWithoutExtension(File),
                File = File,
                DurationTicks = Duration,
                InstructionsPerTick = InstructionsPerTick,
                Switches = Switches,
                Ports = Ports,
                Links = Links,
                Machines = machines,
                Captures = [.. Captures.Select(c => c.Port).Distinct()],
                Timeline = [.. Timeline.OrderBy(t => t.Tick)],
            };
        }

        private void CheckPort(PortRef port, SourceSpot spot)
        {
            var sw = Switches.FirstOrDefault(s => s.Name == port.Switch)
                ?? throw spot.Error($"no switch named '{port.Switch}'", $"switches: {string.Join(", ", Switches.Select(s => s.Name))}");
            if (port.Number > sw.Ports) throw spot.Error($"switch {sw.Name} has ports 1 to {sw.Ports}, not {port.Number}", $"raise ports= on line {sw.Spot.Line} or use another port");
        }

        private void CheckChange(ScenarioChange change)
        {
            CheckPort(change.Port, change.Spot);
            var sw = Switches.First(s => s.Name == change.Port.Switch);
            if (sw.Kind == SwitchKind.PortBased && change is PortSetting { Mode: PortMode.Trunk } or VlanMembership)
            {
                throw change.Spot.Error($"switch {sw.Name} has static port-based VLANs: a port belongs to one VLAN, and there are no trunks or tags",
                    $"write 'port {change.Port} access vlan=V', or make the switch kind=802.1q");
            }
        }

        // The switches run no spanning tree: a loop would circulate flooded frames for ever, so it is refused
        // where the link that closes it is written.
        private void Loops()
        {
            var edges = new List<(string A, string B)>();
            foreach (var link in Links)
            {
                if (link.A.Switch == link.B.Switch)
                {
                    throw link.Spot.Error($"link {link.A} {link.B} connects switch {link.A.Switch} to itself: a loop",
                        "the switches run no spanning tree, so a loop would flood frames for ever; remove the link");
                }
                var path = PathBetween(edges, link.A.Switch, link.B.Switch);
                if (path is not null)
                {
                    throw link.Spot.Error($"link {link.A} {link.B} closes a loop {string.Join(" - ", path.Append(link.A.Switch))}",
                        "the switches run no spanning tree, so a loop would flood frames for ever; remove one link of the loop");
                }
                edges.Add((link.A.Switch, link.B.Switch));
            }
        }

        private static List<string>? PathBetween(List<(string A, string B)> edges, string from, string to)
        {
            var previous = new Dictionary<string, string> { [from] = "" };
            var queue = new Queue<string>([from]);
            while (queue.TryDequeue(out var at))
            {
                if (at == to)
                {
                    var path = new List<string>();
                    for (var s = to; s != ""; s = previous[s]) path.Add(s);
                    path.Reverse();
                    return path;
                }
                foreach (var (a, b) in edges)
                {
                    var next = a == at ? b : b == at ? a : null;
                    if (next is not null && previous.TryAdd(next, at)) queue.Enqueue(next);
                }
            }
            return null;
        }
    }

    private static void Directive(State state, List<Word> words, int line)
    {
        var head = words[0];
        var spot = head.Spot;
        switch (head.Text)
        {
            case "name":
                state.Name = string.Join(' ', words.Skip(1).Select(w => w.Text));
                break;
            case "duration":
                Count(words, 2, "duration TIME", "duration 500ms");
                state.Duration = Time(words[1]);
                if (state.Duration is < 1 or > 600_000) throw words[1].Error("a scenario runs for 100us to 60s", "duration 500ms");
                break;
            case "cpu":
                Count(words, 2, "cpu MIPS", "cpu 10");
                state.InstructionsPerTick = (int)Number(words[1], 1, 1000, "MIPS") * 100;
                break;
            case "switch":
                {
                    if (words.Count < 2) throw head.Error("switch takes a name", "switch sw ports=4");
                    var name = Name(words[1]);
                    if (state.Switches.Any(s => s.Name == name)) throw words[1].Error($"switch {name} is declared twice");
                    var options = Options(words, 2, ["ports", "kind", "ageing", "queue"]);
                    var ports = options.TryGetValue("ports", out var p) ? (int)Number(p, 1, 64, "ports") : throw head.Error("switch needs ports=N", "switch sw ports=4");
                    var kind = !options.TryGetValue("kind", out var k) ? SwitchKind.Dot1Q : k.Value switch
                    {
                        "802.1q" or "802.1Q" or "dot1q" => SwitchKind.Dot1Q,
                        "port-based" or "static" => SwitchKind.PortBased,
                        _ => throw k.ValueError($"unknown switch kind '{k.Value}'", "kind=802.1q (tags, trunks) or kind=port-based (static VLANs)"),
                    };
                    var ageing = options.TryGetValue("ageing", out var a) ? Time(a.AsValue()) : 3_000_000;
                    var queue = options.TryGetValue("queue", out var q) ? (int)Number(q, 2, 4096, "queue") : 64;
                    state.Switches.Add(new SwitchSpec(name, ports, kind, ageing, queue, spot));
                    break;
                }
            case "port":
            case "vlan":
                state.Ports.Add(Change(words, "a port setting"));
                break;
            case "link":
                Count(words, 3, "link SW.N SW.N", "link sw1.1 sw2.1");
                state.Links.Add(new LinkSpec(Port(words[1]), Port(words[2]), spot));
                break;
            case "capture":
                if (words.Count < 2) throw head.Error("capture takes one or more ports", "capture sw.1 sw.2");
                foreach (var word in words.Skip(1)) state.Captures.Add((Port(word), word.Spot));
                break;
            case "at":
                if (words.Count < 3) throw head.Error("'at' takes a time and a change", "at 50ms port sw.2 access vlan=20");
                state.Timeline.Add(new TimedChange(Time(words[1]), Change([.. words.Skip(2)], "a change")));
                break;
            case "machine":
                Machine(state, words);
                break;
            default:
                throw head.Error($"unknown directive '{head.Text}'", Suggest(head.Text, Directives));
        }
    }

    private static void Machine(State state, List<Word> words)
    {
        var head = words[0];
        if (words.Count < 2) throw head.Error("machine takes a name", "machine a port=sw.1 program=ping peer=b");
        var name = Name(words[1]);
        if (state.Machines.Any(m => m.Name == name)) throw words[1].Error($"machine {name} is declared twice");
        var options = Options(words, 2, ["port", "program", "mac", "peer", "count", "vlan", "pcp", "length", "pause"]);
        if (!options.TryGetValue("port", out var portOption)) throw head.Error($"machine {name} needs port=SW.N", "the switch port its network card is plugged into");
        var port = Port(portOption.AsValue());
        var program = options.TryGetValue("program", out var prog) ? prog.Value : "stream";
        if (!BuiltInPrograms.Contains(program) && !program.EndsWith(".s", StringComparison.Ordinal))
        {
            throw prog!.ValueError($"unknown program '{program}'", $"the built-in programs are {string.Join(", ", BuiltInPrograms)}; your own is a FILE.s");
        }
        MacAddress mac;
        if (options.TryGetValue("mac", out var m))
        {
            if (!MacAddress.TryParse(m.Value, out mac)) throw m.ValueError($"'{m.Value}' is not a MAC address", "mac=02:00:00:00:00:0a");
            if (mac.IsGroup) throw m.ValueError($"{mac} is a group address; a network card's own address is not", "make the first byte even, e.g. 02:...");
        }
        else
        {
            mac = new MacAddress(0x02_00_00_00_00_00UL + (ulong)state.Machines.Count + 1);
        }
        MacAddress? peerMac = null;
        string? peer = null;
        if (options.TryGetValue("peer", out var pe))
        {
            if (MacAddress.TryParse(pe.Value, out var literal)) peerMac = literal;
            else
            {
                peer = pe.Value;
                state.Peers.Add((pe.AsValue(), state.Machines.Count));
            }
        }
        var count = options.TryGetValue("count", out var c) ? (int)Number(c, 0, 10_000_000, "count") : 10;
        var vlan = options.TryGetValue("vlan", out var v) ? Vid(v.AsValue()) : 0;
        var pcp = options.TryGetValue("pcp", out var pc) ? (int)Number(pc, 0, 7, "pcp") : 0;
        var limit = vlan == 0 ? EthernetFrame.MaximumUntagged : EthernetFrame.MaximumTagged;
        var length = 60;
        if (options.TryGetValue("length", out var l))
        {
            length = (int)Number(l, EthernetFrame.HeaderLength + 6, int.MaxValue, "length");
            if (length > limit)
            {
                throw l.ValueError($"a frame of {length} bytes is too long: {(vlan == 0 ? "an untagged frame is at most 1514 bytes" : "a tagged frame is at most 1518 bytes")} without its 4-byte FCS ({limit + 4} on the wire)",
                    $"length={limit} at most");
            }
        }
        var pause = options.TryGetValue("pause", out var pa) ? (int)Number(pa, 0, 100_000_000, "pause") : 1000;
        state.Machines.Add(new MachineSpec(name, port, mac, program, peer, peerMac, count, vlan, pcp, length, pause, head.Spot));
    }

    /// <summary>A <c>port</c> or <c>vlan</c> line.</summary>
    private static ScenarioChange Change(List<Word> words, string what)
    {
        var head = words[0];
        if (head.Text == "vlan")
        {
            if (words.Count != 4 || words[1].Text is not ("add" or "remove")) throw head.Error("vlan takes add or remove, a port and VLAN IDs", "vlan add sw.1 30,31");
            return new VlanMembership(Port(words[2]), words[1].Text == "add", VlanList(words[3]), head.Spot);
        }
        if (head.Text != "port") throw head.Error($"'{head.Text}' is not {what}", "a change is a 'port SW.N ...' or 'vlan add|remove SW.N V' line");
        if (words.Count < 3) throw head.Error("port takes a port and access or trunk", "port sw.1 access vlan=10");
        var port = Port(words[1]);
        var mode = words[2].Text switch
        {
            "access" => PortMode.Access,
            "trunk" => PortMode.Trunk,
            _ => throw words[2].Error($"a port is access or trunk, not '{words[2].Text}'", "port sw.1 access vlan=10, or port sw.1 trunk allowed=10,20"),
        };
        var options = Options(words, 3, mode == PortMode.Access ? ["vlan", "priority", "speed"] : ["allowed", "native", "priority", "speed"]);
        var priority = options.TryGetValue("priority", out var p) ? (int?)Number(p, 0, 7, "priority") : null;
        var speed = options.TryGetValue("speed", out var s) ? (int?)Number(s, 1, 100_000, "speed (Mbit/s)") : null;
        if (mode == PortMode.Access)
        {
            var vlan = options.TryGetValue("vlan", out var v) ? Vid(v.AsValue()) : throw head.Error("an access port needs vlan=V", "port sw.1 access vlan=10");
            return new PortSetting(port, mode, vlan, [], priority, speed, head.Spot);
        }
        var allowed = options.TryGetValue("allowed", out var a) ? VlanList(a.AsValue()) : throw head.Error("a trunk needs allowed=V,V,... (or allowed=none)", "port sw.1 trunk allowed=10,20 native=1");
        var native = options.TryGetValue("native", out var n) ? Vid(n.AsValue()) : 0;
        return new PortSetting(port, mode, native, allowed, priority, speed, head.Spot);
    }

    private readonly record struct Word(string Text, SourceSpot Spot)
    {
        public ScenarioError Error(string message, string? hint = null) => Spot.Error(message, hint);
    }

    private sealed record OptionWord(string Key, string Value, Word Whole)
    {
        /// <summary>The value as a word of its own, with the column where the value starts.</summary>
        public Word AsValue() => new(Value, Whole.Spot with { Column = Whole.Spot.Column + Key.Length + 1 });

        public ScenarioError ValueError(string message, string? hint = null) => AsValue().Error(message, hint);
    }

    private static List<Word> Words(string line, string file, int number)
    {
        var words = new List<Word>();
        var i = 0;
        while (i < line.Length)
        {
            if (line[i] == '#') break;
            if (char.IsWhiteSpace(line[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] != '#') i++;
            words.Add(new Word(line[start..i], new SourceSpot(file, number, start + 1)));
        }
        return words;
    }

    private static Dictionary<string, OptionWord> Options(List<Word> words, int from, string[] keys)
    {
        var options = new Dictionary<string, OptionWord>();
        foreach (var word in words.Skip(from))
        {
            var eq = word.Text.IndexOf('=');
            if (eq <= 0) throw word.Error($"'{word.Text}' is not an option", $"options are key=value: {string.Join(", ", keys.Select(k => k + "="))}");
            var key = word.Text[..eq];
            if (!keys.Contains(key)) throw word.Error($"unknown option '{key}'", Suggest(key, keys));
            if (eq == word.Text.Length - 1) throw word.Error($"{key}= has no value");
            if (!options.TryAdd(key, new OptionWord(key, word.Text[(eq + 1)..], word))) throw word.Error($"{key}= is given twice");
        }
        return options;
    }

    private static void Count(List<Word> words, int count, string form, string example)
    {
        if (words.Count != count) throw words[Math.Min(words.Count - 1, count)].Error($"{words[0].Text} takes the form '{form}'", example);
    }

    private static string Name(Word word)
    {
        if (word.Text.Length > 32 || !word.Text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || !char.IsAsciiLetter(word.Text[0]))
        {
            throw word.Error($"'{word.Text}' is not a name", "names are up to 32 letters, digits, '-' or '_', starting with a letter");
        }
        return word.Text;
    }

    private static PortRef Port(Word word)
    {
        var dot = word.Text.LastIndexOf('.');
        if (dot <= 0 || !int.TryParse(word.Text[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            throw word.Error($"'{word.Text}' is not a port", "ports are SWITCH.NUMBER, numbered from 1: sw.1");
        }
        return new PortRef(word.Text[..dot], number);
    }

    private static PortRef Port(OptionWord option) => Port(option.AsValue());

    private static double Number(OptionWord option, long min, long max, string what) => Number(option.AsValue(), min, max, what);

    private static double Number(Word word, long min, long max, string what)
    {
        var text = word.Text;
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok) throw word.Error($"{what} must be a whole number, not '{text}'");
        if (value < min || value > max) throw word.Error($"{what} {value} is out of range", max == int.MaxValue ? $"at least {min}" : $"{min} to {max}");
        return value;
    }

    /// <summary>A VLAN ID: 1 to 4094; 0 and 4095 are refused, saying what they mean.</summary>
    private static int Vid(Word word)
    {
        if (!int.TryParse(word.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var vid)) throw word.Error($"'{word.Text}' is not a VLAN ID", "VLAN IDs are whole numbers 1 to 4094");
        if (!Dot1QTag.IsVlan(vid))
        {
            throw word.Error($"VLAN ID {vid} is out of range",
                vid == 0 ? "0 marks a priority-tagged frame, not a VLAN; use 1 to 4094" : vid == 4095 ? "4095 is reserved by 802.1Q; use 1 to 4094" : "a VLAN ID has 12 bits and 0 and 4095 are reserved: use 1 to 4094");
        }
        return vid;
    }

    /// <summary>VLAN IDs: <c>7,8</c>, <c>10-20</c>, or <c>none</c>.</summary>
    private static List<int> VlanList(Word word)
    {
        if (word.Text == "none") return [];
        var vids = new SortedSet<int>();
        var column = word.Spot.Column;
        foreach (var part in word.Text.Split(','))
        {
            var piece = word with { Text = part, Spot = word.Spot with { Column = column } };
            var dash = part.IndexOf('-', 1);
            if (dash > 0)
            {
                var from = Vid(piece with { Text = part[..dash] });
                var to = Vid(piece with { Text = part[(dash + 1)..], Spot = piece.Spot with { Column = column + dash + 1 } });
                if (to < from) throw piece.Error($"the range {part} runs backwards", $"{to}-{from}");
                for (var v = from; v <= to; v++) vids.Add(v);
            }
            else
            {
                vids.Add(Vid(piece));
            }
            column += part.Length + 1;
        }
        return [.. vids];
    }

    /// <summary>Ticks of 100 µs from <c>500ms</c>, <c>2s</c>, <c>300us</c> or a bare number of ticks.</summary>
    private static long Time(Word word)
    {
        var text = word.Text;
        var (digits, micro) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1000L)
            : text.EndsWith("us", StringComparison.Ordinal) ? (text[..^2], 1L)
            : text.EndsWith('s') ? (text[..^1], 1_000_000L)
            : (text, (long)VlanSwitch.TickMicroseconds);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 1_000_000_000)
        {
            throw word.Error($"'{text}' is not a time", "write 500ms, 2s, 300us, or a number of 100 µs ticks");
        }
        var us = value * micro;
        if (us % VlanSwitch.TickMicroseconds != 0) throw word.Error($"{text} is not a whole number of ticks", "the network's clock ticks every 100us");
        return us / VlanSwitch.TickMicroseconds;
    }

    private static string Suggest(string word, IEnumerable<string> known) =>
        Suggestions.Closest(word, known) is { } best ? $"did you mean '{best}'?" : $"expected one of: {string.Join(", ", known)}";
}
