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
    public void Should_Copy_A_File_Up_When_A_Container_Writes_It_From_Inside()
    {
        var kernel = new Kernel();
        var a = kernel.CreateContainer(new ContainerSpec("a", Image: "web"));
        var b = kernel.CreateContainer(new ContainerSpec("b", Image: "web"));
        var image = kernel.Images.Get("web").Layers[^1].Files["/srv/www/index.html"];
        kernel.ExecIn(a, "/bin/write /srv/www/index.html changed by a");
        kernel.Run(200_000);
        kernel.ExecIn(a, "/bin/cat /srv/www/index.html");
        kernel.ExecIn(b, "/bin/cat /srv/www/index.html");
        kernel.Run(200_000);

        Assert.That(a.Console, Does.Contain("write: /srv/www/index.html: returned 13\nchanged by a\n"));
        Assert.That(b.Console, Does.Contain("<h1>hello from a container</h1>\n"), "b still reads the image's file");
        Assert.That(System.Text.Encoding.ASCII.GetString(image), Is.EqualTo("<h1>hello from a container</h1>\n"), "the layer itself is untouched");
        Assert.That((a.PrivateFileBytes, b.PrivateFileBytes), Is.EqualTo((13L, 0L)), "only a holds bytes of its own");
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
