using System.Text;

namespace VirtualizationWorkbench.Containers.Filesystem;

/// <summary>
/// The images a kernel can start containers from. The built-in ones:
/// <list type="bullet">
/// <item><c>base</c>: one layer with the programs of labs/guests/containers in /bin and an /etc/os-release;</item>
/// <item><c>web</c>: base plus a layer with /srv/www/index.html and /etc/service.conf;</item>
/// <item><c>slim</c>: base plus a layer that deletes /bin/kernelbug and /bin/memhog (whiteouts).</item>
/// </list>
/// </summary>
public sealed class ImageStore
{
    private readonly SortedDictionary<string, Image> images = new(StringComparer.Ordinal);

    /// <summary>A store with the built-in images.</summary>
    public ImageStore()
    {
        var bin = GuestPrograms.Names.ToDictionary(n => "/bin/" + n, n => GuestPrograms.Get(n).ToBytes());
        bin["/etc/os-release"] = Encoding.ASCII.GetBytes("NAME=\"workbench-os\"\nVERSION=\"1\"\n");
        var @base = new Image("base", [new ImageLayer(bin, [])]);
        Add(@base);
        Add(@base.With("web", new ImageLayer(new Dictionary<string, byte[]>
        {
            ["/srv/www/index.html"] = Encoding.ASCII.GetBytes("<h1>hello from a container</h1>\n"),
            ["/etc/service.conf"] = Encoding.ASCII.GetBytes("port=80\n"),
        }, [])));
        Add(@base.With("slim", new ImageLayer(new Dictionary<string, byte[]>(), ["/bin/kernelbug", "/bin/memhog"])));
    }

    /// <summary>The image names, in order.</summary>
    public IReadOnlyCollection<string> Names => images.Keys;

    /// <summary>Adds (or replaces) <paramref name="image"/>.</summary>
    public void Add(Image image) => images[image.Name] = image;

    /// <summary>The image called <paramref name="name"/>.</summary>
    /// <exception cref="ContainerError">There is none.</exception>
    public Image Get(string name) => images.TryGetValue(name, out var image)
        ? image
        : throw new ContainerError($"no image '{name}': the images are {string.Join(", ", images.Keys)}");
}
