using VirtualizationWorkbench.Labs.Scripting;
using VirtualizationWorkbench.Workbench.Terminal.Shell;
using VirtualizationWorkbench.Workbench.Terminal.ViewModels;

namespace VirtualizationWorkbench.Workbench.Terminal.Screens;

/// <summary>
/// The one place that knows which lab objects have a screen: what a step's scripts make (<c>lab.storage()</c>,
/// <c>lab.network(file)</c>, …) is shown, as the checks left it, when the student presses v on the lab's page. A
/// lab whose objects should have a view adds a line to <see cref="For"/> (and to <see cref="Describe"/>).
/// </summary>
public static class LabViews
{
    /// <summary>The screen for <paramref name="made"/>, or null if it has none; <paramref name="origin"/> says
    /// where it came from ("step 2's checks").</summary>
    public static Screen? For(object made, string origin) => made switch
    {
        ScriptStorage storage => new StorageScreen(new StorageViewModel(storage.Group), origin),
        ScriptNetwork network => new NetworkScreen(new NetworkViewModel(network.Scenario)),
        ScriptPartitions partitions => new PartitionsScreen(new PartitionsViewModel(partitions.Firmware), origin),
        ScriptMigration migration => new MigrationScreen(new MigrationViewModel(migration), origin),
        ScriptContainers containers => new ContainersScreen(new ContainersViewModel(containers.Kernel), origin),
        ScriptRv32 { LastHart: { } hart } program => new Rv32Screen(new Emulation.Inspection.Rv32InspectorView(hart), $"{program.LastRun}, from {origin}"),
        _ => null,
    };

    /// <summary>A line naming <paramref name="made"/> in the list of a step's views.</summary>
    public static string Describe(object made) => made switch
    {
        ScriptStorage storage => $"storage: {storage.Group.Disks.Count} disks, {storage.Group.Volumes.Count} volumes",
        ScriptNetwork network => $"network: {network.Scenario.Scenario.Name}",
        ScriptPartitions partitions => $"partitions: {partitions.Firmware.Partitions.Count} on a {partitions.Firmware.Machine.Cores.Count}-core machine",
        ScriptMigration migration => $"migration: {migration.Workload} by {migration.Mode}, {migration.Result.Rounds.Count} round{(migration.Result.Rounds.Count == 1 ? "" : "s")}, {migration.Result.DowntimeMilliseconds:0.###} ms down",
        ScriptContainers containers => $"containers: {containers.Kernel.Containers.Count} on one kernel",
        ScriptRv32 program => $"rv32: {(program.LastHart is { } hart ? $"{program.LastRun}, {hart.State.Instructions:N0} instructions" : "not run")}",
        _ => made.GetType().Name,
    };
}
