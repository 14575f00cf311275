using System.Buffers.Binary;
using System.Globalization;
using Jint;
using Jint.Native;
using VirtualizationWorkbench.Emulation.Cpu;

namespace VirtualizationWorkbench.Emulation.JavaScript;

/// <summary>
/// The emulator written in JavaScript (<c>rv32.js</c>, embedded) and run by Jint, as JSNES and jslinux run in a
/// browser. The script works on the hart's own RAM (a JavaScript ArrayBuffer over the same bytes) and a small
/// state array the host copies registers in and out of; what it does not run itself (system instructions,
/// CSRs, devices, traps) it hands back, and the hart's interpreter runs that one instruction. Locked down like
/// the lab scripts: no .NET, no string compilation.
/// </summary>
public sealed class Rv32JavaScriptEngine
{
    private const int StateWords = 36;
    private readonly Engine engine;
    private readonly JsValue run;
    private readonly byte[] state = new byte[StateWords * 4];

    /// <summary>Loads the script for <paramref name="hart"/>'s memory.</summary>
    public Rv32JavaScriptEngine(Rv32Hart hart)
    {
        var memory = hart.Memory;
        engine = new Engine(options =>
        {
            options.Culture(CultureInfo.InvariantCulture);
            options.Interop.Enabled = false;
            options.Interop.AllowGetType = false;
            options.Interop.AllowSystemReflection = false;
            options.DisableStringCompilation();
            options.AgentCanSuspend = false;
            options.LimitRecursion(64);
            options.Strict = true;
        });
        using (var stream = typeof(Rv32JavaScriptEngine).Assembly.GetManifestResourceStream("rv32.js")!)
        using (var reader = new StreamReader(stream))
        {
            engine.Execute(reader.ReadToEnd(), "rv32.js");
        }
        // Both ArrayBuffers wrap the host's arrays: the script reads and writes guest RAM in place.
        var intrinsics = engine.Intrinsics;
        var ramBuffer = intrinsics.ArrayBuffer.Construct(memory.Ram);
        var stateBuffer = intrinsics.ArrayBuffer.Construct(state);
        run = engine.Invoke("makeRv32", ramBuffer, stateBuffer, memory.RamBase, memory.RamSize, memory.ToHost);
    }

    /// <summary>Guest instructions the hart's interpreter ran for the script.</summary>
    public long HandedBack { get; private set; }

    /// <summary>Runs up to <paramref name="count"/> instructions, as <see cref="Rv32Interpreter.Run"/> does.</summary>
    internal bool Run(Rv32Hart hart, ulong count)
    {
        ref var s = ref hart.State;
        var words = state.AsSpan();
        var end = s.Instructions + count;
        while (s.Instructions < end)
        {
            for (var r = 0; r < 32; r++) BinaryPrimitives.WriteUInt32LittleEndian(words[(r * 4)..], s.X[r]);
            BinaryPrimitives.WriteUInt32LittleEndian(words[128..], s.Pc);
            var slice = Math.Min(end - s.Instructions, 1u << 30);
            engine.Invoke(run, (double)slice);
            for (var r = 1; r < 32; r++) s.X[r] = BinaryPrimitives.ReadUInt32LittleEndian(words[(r * 4)..]);
            s.Pc = BinaryPrimitives.ReadUInt32LittleEndian(words[128..]);
            var retired = BinaryPrimitives.ReadUInt32LittleEndian(words[132..]);
            s.Instructions += retired;
            s.Cycles += retired * Rv32Costs.Base + BinaryPrimitives.ReadUInt32LittleEndian(words[136..]);
            if (BinaryPrimitives.ReadUInt32LittleEndian(words[140..]) != 0 && s.Instructions < end)
            {
                HandedBack++;
                if (Rv32Interpreter.Run(hart, 1)) return true;
                // The instruction may have changed when an interrupt is due (a CSR, a device): let the run loop look.
                if (hart.SystemMode) return false;
            }
        }
        return false;
    }
}
