namespace VirtualizationWorkbench.Containers.Filesystem;

/// <summary>
/// A container image: a stack of layers over a base, the lowest first. A container's root is made by laying them
/// out in order (each layer's files over the ones below, its whiteouts removing); the files' bytes stay the
/// layers', shared by every container of the image, until a container writes one.
/// </summary>
public sealed class Image(string name, IReadOnlyList<ImageLayer> layers)
{
    /// <summary>The name containers are started from.</summary>
    public string Name { get; } = name;

    /// <summary>The layers, base first.</summary>
    public IReadOnlyList<ImageLayer> Layers { get; } = layers;

    /// <summary>An image made of this one's layers and <paramref name="layer"/> on top.</summary>
    public Image With(string name, ImageLayer layer) => new(name, [.. Layers, layer]);

    /// <summary>Lays the layers out under <paramref name="root"/>; returns how many nodes were made.</summary>
    public int Unpack(FsDirectory root)
    {
        var before = root.Walk().Count();
        foreach (var layer in Layers)
        {
            foreach (var path in layer.Whiteouts)
            {
                var (dir, name) = Parent(root, path);
                dir?.Remove(name);
            }
            foreach (var (path, bytes) in layer.Files)
            {
                var (dir, name) = Parent(root, path);
                dir?.PutFile(name, bytes, shared: true);
            }
        }
        return root.Walk().Count() - before;
    }

    private static (FsDirectory? Directory, string Name) Parent(FsDirectory root, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        FsDirectory? dir = root;
        for (var i = 0; i < parts.Length - 1 && dir is not null; i++) dir = dir.Directory(parts[i]);
        return (dir, parts[^1]);
    }
}
