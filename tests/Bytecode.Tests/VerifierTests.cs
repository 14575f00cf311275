using VirtualizationWorkbench.Bytecode.Format;
using VirtualizationWorkbench.Bytecode.Verification;

namespace VirtualizationWorkbench.Bytecode.Tests;

/// <summary>Hand-made bytecode the verifier must refuse before anything runs, naming the rule and the offset; and
/// everything the compiler makes passes.</summary>
public class VerifierTests
{
    private const byte Push = (byte)Opcode.Push, Pop = (byte)Opcode.Pop, Dup = (byte)Opcode.Dup;
    private const byte ILoad = (byte)Opcode.ILoad, IStore = (byte)Opcode.IStore, ALoad = (byte)Opcode.ALoad, AStore = (byte)Opcode.AStore;
    private const byte Add = (byte)Opcode.Add, Jmp = (byte)Opcode.Jmp, Jz = (byte)Opcode.Jz, Call = (byte)Opcode.Call, Ret = (byte)Opcode.Ret;
    private const byte NewArray = (byte)Opcode.NewArray, IALoad = (byte)Opcode.IALoad, Print = (byte)Opcode.Print;

    private static BytecodeModule Module(int locals, int maxStack, params byte[] code) =>
        new([new BytecodeFunction("main", 0, locals, maxStack, 0, code, [])], 0, "");

    private static VerifyException Refused(BytecodeModule module)
    {
        // Through the file format, as a .vbc from disk arrives.
        var loaded = BytecodeModule.Parse(module.ToBytes());
        return Assert.Throws<VerifyException>(() => Verifier.Verify(loaded))!;
    }

    private static IEnumerable<TestCaseData> Malformed()
    {
        yield return new TestCaseData(Module(0, 2, Push, 1, 0, 0, 0, Add, Ret), VerifyRule.StackUnderflow, 5).SetName("add with one value on the stack");
        yield return new TestCaseData(Module(0, 2, Pop, Push, 0, 0, 0, 0, Ret), VerifyRule.StackUnderflow, 0).SetName("pop of an empty stack");
        yield return new TestCaseData(Module(0, 2, Jmp, 2, 0, Push, 0, 0, 0, 0, Ret), VerifyRule.JumpTarget, 0).SetName("jump into the middle of push");
        yield return new TestCaseData(Module(0, 2, Jmp, 0x40, 0, Push, 0, 0, 0, 0, Ret), VerifyRule.JumpTarget, 0).SetName("jump outside the code");
        yield return new TestCaseData(Module(1, 2, Push, 3, 0, 0, 0, NewArray, Push, 1, 0, 0, 0, Add, Ret), VerifyRule.Type, 11).SetName("add on an array reference");
        yield return new TestCaseData(Module(1, 2, Push, 3, 0, 0, 0, AStore, 0, Push, 0, 0, 0, 0, Ret), VerifyRule.Type, 5).SetName("astore of an integer");
        yield return new TestCaseData(Module(1, 2, ALoad, 0, Ret), VerifyRule.Type, 0).SetName("aload of an integer local (a forged reference)");
        yield return new TestCaseData(Module(1, 3, Push, 3, 0, 0, 0, Push, 0, 0, 0, 0, IALoad, Ret), VerifyRule.Type, 10).SetName("iaload on an integer");
        yield return new TestCaseData(Module(1, 2, ILoad, 1, Ret), VerifyRule.LocalIndex, 0).SetName("a local beyond the frame");
        yield return new TestCaseData(Module(0, 2, Push, 1, 0, 0, 0, Print), VerifyRule.FallOff, 5).SetName("code that runs off its end");
        yield return new TestCaseData(Module(0, 2, 0x00, Ret), VerifyRule.Opcode, 0).SetName("an undefined opcode");
        yield return new TestCaseData(Module(0, 2, Push, 1, 0), VerifyRule.Operand, 0).SetName("a truncated operand");
        yield return new TestCaseData(Module(0, 2, Call, 9, Ret), VerifyRule.FunctionIndex, 0).SetName("a call to a missing function");
        yield return new TestCaseData(Module(0, 1, Push, 1, 0, 0, 0, Dup, Add, Ret), VerifyRule.StackLimit, 5).SetName("more stack than max stack declares");
        // push 1; jz L; push 7; L: push 0; ret  -- one path reaches L with one value more than the other.
        yield return new TestCaseData(Module(0, 3, Push, 1, 0, 0, 0, Jz, 13, 0, Push, 7, 0, 0, 0, Push, 0, 0, 0, 0, Ret), VerifyRule.StackMerge, 13).SetName("paths that disagree on the stack");
        // a local that is an array on one path and an integer on the other cannot be read after the join.
        yield return new TestCaseData(Module(1, 2, Push, 1, 0, 0, 0, Jz, 16, 0, Push, 2, 0, 0, 0, NewArray, AStore, 0, ILoad, 0, Ret), VerifyRule.Type, 16).SetName("a local of different types on two paths");
    }

    [TestCaseSource(nameof(Malformed))]
    public void Malformed_Bytecode_Is_Refused_Naming_The_Rule_And_Offset(BytecodeModule module, VerifyRule rule, int offset)
    {
        var refusal = Refused(module);
        Assert.That((refusal.Rule, refusal.Offset), Is.EqualTo((rule, offset)), refusal.Message);
        Assert.That(refusal.Message, Does.StartWith($"verify error [{VerifyException.RuleName(rule)}] in function 'main' at offset 0x{offset:x4}: "));
    }

    [Test]
    public void A_Call_Must_Pass_The_Parameter_Types_The_Callee_Declares()
    {
        var callee = new BytecodeFunction("sum", 1, 1, 1, 1u, [ALoad, 0, (byte)Opcode.ArrayLength, Ret], []);
        var main = new BytecodeFunction("main", 0, 0, 1, 0, [Push, 5, 0, 0, 0, Call, 0, Ret], []);
        var refusal = Refused(new BytecodeModule([callee, main], 1, ""));
        Assert.That((refusal.Rule, refusal.Function, refusal.Offset), Is.EqualTo((VerifyRule.Type, "main", 5)));
        Assert.That(refusal.Message, Does.Contain("argument 1 is an integer, the parameter is an array reference"));
    }

    [Test]
    public void The_Entry_Function_Takes_No_Parameters()
    {
        var main = new BytecodeFunction("main", 1, 1, 1, 0, [ILoad, 0, Ret], []);
        Assert.That(Refused(new BytecodeModule([main], 0, "")).Rule, Is.EqualTo(VerifyRule.Limits));
    }

    [Test]
    public void What_The_Compiler_Makes_Verifies_And_A_Well_Formed_Join_Is_Accepted()
    {
        Assert.DoesNotThrow(() => Programs.Compile(Programs.Tour));
        // push 1; jz L; push 7; pop; L: push 0; ret: both paths reach L with an empty stack.
        Assert.DoesNotThrow(() => Verifier.Verify(Module(0, 1, Push, 1, 0, 0, 0, Jz, 14, 0, Push, 7, 0, 0, 0, Pop, Push, 0, 0, 0, 0, Ret)));
        Assert.DoesNotThrow(() => Verifier.Verify(Module(1, 1, Push, 4, 0, 0, 0, IStore, 0, ILoad, 0, Ret)));
    }

    [TestCase(new byte[] { 0x56, 0x42, 0x43 }, "shorter than the 16-byte header")]
    [TestCase(new byte[] { 0x50, 0x4B, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "does not start with \"VBC1\"")]
    [TestCase(new byte[] { 0x56, 0x42, 0x43, 0x31, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "version 2 at byte 4")]
    [TestCase(new byte[] { 0x56, 0x42, 0x43, 0x31, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "runs past the end of the file")]
    [TestCase(new byte[] { 0x56, 0x42, 0x43, 0x31, 1, 0, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0 }, "entry function 3 at byte 8")]
    public void A_File_That_Is_Not_A_Module_Is_Refused_By_The_Loader(byte[] bytes, string message)
    {
        var error = Assert.Throws<BytecodeFormatException>(() => BytecodeModule.Parse(bytes))!;
        Assert.That(error.Message, Does.Contain(message));
    }

    [Test]
    public void Code_Outside_The_File_Is_Refused()
    {
        var bytes = Module(0, 1, Push, 0, 0, 0, 0, Ret).ToBytes();
        bytes[16 + 12] = 0xFF;   // code length
        Assert.That(Assert.Throws<BytecodeFormatException>(() => BytecodeModule.Parse(bytes))!.Message, Does.Contain("lies outside the file"));
    }
}
