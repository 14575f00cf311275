namespace VirtualizationWorkbench.Emulation.Tests;

/// <summary>The prebuilt guest programs are what labs/guests/rv32/build.sh makes from the sources beside them:
/// rebuilding with Debian's cross compiler gives the same bytes.</summary>
public class GuestBuildTests
{
    [Test]
    [Category(TestCategories.EndToEnd)]
    public void The_Prebuilt_Programs_Are_Built_From_The_Sources()
    {
        GuestPrograms.Require("riscv64-unknown-elf-gcc", "gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf");
        var output = Directory.CreateTempSubdirectory("workbench-rv32-build-").FullName;
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("sh") { RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(GuestPrograms.Folder, "build.sh"));
            start.ArgumentList.Add(output);
            using var build = System.Diagnostics.Process.Start(start)!;
            var errors = build.StandardError.ReadToEnd();
            Assert.That(build.WaitForExit(TimeSpan.FromMinutes(5)), "build.sh finished");
            Assert.That(build.ExitCode, Is.Zero, errors);
            var prebuilt = Directory.GetFiles(Path.Combine(GuestPrograms.Folder, "prebuilt")).Select(Path.GetFileName).Order().ToList();
            Assert.That(Directory.GetFiles(output).Select(Path.GetFileName).Order(), Is.EqualTo(prebuilt));
            foreach (var name in prebuilt)
            {
                Assert.That(File.ReadAllBytes(Path.Combine(output, name!)), Is.EqualTo(File.ReadAllBytes(GuestPrograms.Prebuilt(name!))), $"{name} differs from a rebuild");
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
