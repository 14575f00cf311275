using VirtualizationWorkbench.Containers.Filesystem;

namespace VirtualizationWorkbench.Containers.Tests;

/// <summary>Images are layers over a base, and containers share their bytes until they write.</summary>
[TestFixture]
public sealed class ImageTests
{
    [Test]
    public void Should_Share_Image_Bytes_Between_Containers_Until_One_Writes()
    {
        var kernel = new Kernel();
        var a = kernel.CreateContainer(new ContainerSpec("a", Image: "web"));
        var b = kernel.CreateContainer(new ContainerSpec("b", Image: "web"));
        var fileA = (FsFile)((FsDirectory)((FsDirectory)a.Rootfs.Children["srv"]).Children["www"]).Children["index.html"];
        var fileB = (FsFile)((FsDirectory)((FsDirectory)b.Rootfs.Children["srv"]).Children["www"]).Children["index.html"];

        Assert.That(fileA.Content, Is.SameAs(fileB.Content), "one copy of the bytes, in the image's layer");
        Assert.That(a.PrivateFileBytes, Is.Zero);
        fileA.Write([1, 2, 3]);
        Assert.That(fileB.Content, Has.Length.GreaterThan(3), "b still sees the image's file");
        Assert.That(a.PrivateFileBytes, Is.EqualTo(3));
    }

    [Test]
    public void Should_Apply_Whiteouts_Of_Upper_Layers()
    {
        var kernel = new Kernel();
        var slim = kernel.CreateContainer(new ContainerSpec("s", Image: "slim"));
        var bin = (FsDirectory)slim.Rootfs.Children["bin"];
        Assert.That(bin.Children.Keys, Does.Not.Contain("kernelbug").And.Not.Contain("memhog").And.Contain("service"));
        var error = Assert.Throws<ContainerError>(() => kernel.CreateContainer(new ContainerSpec("t", Image: "slim", Command: "/bin/memhog")));
        Assert.That(error!.Message, Does.Contain("has no program '/bin/memhog'"));
    }
}
