namespace VirtualizationWorkbench.Labs.Tests.Scripting;

/// <summary><c>lab.storage()</c>, as lab 09's scripts use it.</summary>
public sealed class StorageApiTests
{
    [Test]
    public void A_Script_Builds_Volumes_Runs_A_Guest_On_One_And_Checks_Refusals()
    {
        var result = ScriptLab.Check("""
            const st = lab.storage();
            st.addDisk("disk1", 4);
            st.addDisk("disk2", 4);
            check(st.tryCreateVolume("big", 9).includes("needs 9 extents"), "a thick volume larger than the pool is refused");
            st.createVolume("data", 6);
            expect(st.map("data"), ["LE 0-3 -> disk1 PE 0-3", "LE 4-5 -> disk2 PE 0-1"], "the extent map");
            const m = st.machine("data").load("guests/disk-fill.s");
            expect(m.run(10_000_000).reason, "Halt", "the guest fills the volume");
            expect(m.reg(3), 48, "48 sectors");
            expect(st.hash("data"), st.fillHash(48, false), "the volume holds what the guest wrote");
            check(st.tryRemoveDisk("disk2").includes("data (2 extents)"), "a needed disk stays");
            expect(st.writeSector("data", 0), "Ok", "the host writes a sector");
            check(st.hash("data") !== st.fillHash(48, false), "and the hash sees it");
            solution("q", 42);
            """, besideGuests: true);
        Assert.That(result.Error, Is.Null);
        Assert.That(result.Checks.Where(c => !c.Passed).Select(c => c.Message), Is.Empty);
    }

    [Test]
    public void A_Second_Machine_On_One_Volume_Fails_The_Step_With_The_Reason()
    {
        var (error, _) = ScriptLab.Failure("""
            const st = lab.storage();
            st.addDisk("disk1", 4);
            st.createVolume("data", 4);
            st.machine("data");
            st.machine("data");
            """);
        Assert.That(error, Does.Contain("volume 'data' is already attached to machine 'machine 1'").And.Contain("detach"));
    }

    [Test]
    public void A_Script_Moves_A_Partition_Whose_Disk_Is_Its_Volume_On_The_San_And_Sees_A_Local_Disk_Refused()
    {
        var result = ScriptLab.Check("""
            const st = lab.storage();
            st.addDisk("disk1", 4);
            st.createVolume("lun", 2);
            const moved = st.migrateOverSan("lun", "hybrid", 1000);
            expect([moved.diskSectorsCopied, moved.volumeMatches, moved.guestContinued], [0, true, true], "memory moved, the disk stayed and holds what the guest wrote");
            check(moved.memoryPages >= 32 && moved.memoryKib === moved.memoryPages * 4, `every page went over (${moved.memoryPages})`);
            st.createVolume("blank", 2);
            check(st.hash("lun") !== st.hash("blank"), "the guest's writes are on the student's volume");
            check(st.tryMigrateLocal("lun").includes("its disk is the volume 'lun' attached to this machine"), "a local disk is refused");
            st.machine("lun");
            solution("q", 42);
            """);
        Assert.That(result.Error, Is.Null);
        Assert.That(result.Checks.Where(c => !c.Passed).Select(c => c.Message), Is.Empty);
        Assert.That(ScriptLab.Failure("const st = lab.storage(); st.addDisk('d', 2); st.createVolume('lun', 1); st.machine('lun'); st.migrateOverSan('lun', 'pre-copy', 1000);").Error,
            Does.Contain("migrateOverSan('lun', 'pre-copy', 1000): the volume is attached to machine 1; detach it first (st.detach)"));
        Assert.That(ScriptLab.Failure("const st = lab.storage(); st.addDisk('d', 2); st.createVolume('lun', 1); st.migrateOverSan('lun', 'teleport', 1000);").Error,
            Does.Contain("modes are pre-copy, stop-and-copy and hybrid"));
    }

    [Test]
    public void Bad_Arguments_Are_Named()
    {
        Assert.That(ScriptLab.Failure("lab.storage().createThinPool('p', 4, 'maybe');").Error, Does.Contain("whenFull is \"queue\" or \"error\""));
        Assert.That(ScriptLab.Failure("lab.storage().addDisk('d', 1.5);").Error, Does.Contain("extents must be a whole number"));
        Assert.That(ScriptLab.Failure("lab.storage().addDisk('d', 100000);").Error, Does.Contain("16384 in all"));
    }
}
