using System.Xml;
using System.Xml.Linq;

namespace VirtualizationWorkbench.Sandbox.Redirects;

/// <summary>Stands in for <see cref="XmlDocument"/>'s loading and saving by path.</summary>
[RedirectsCallsTo(typeof(XmlDocument))]
public static class XmlDocumentRedirects
{
    public static void Load(XmlDocument document, string filename)
    {
        using var stream = FileRedirects.OpenRead(filename);
        document.Load(stream);
    }

    public static void Save(XmlDocument document, string filename) =>
        FileRedirects.WriteAllBytes(filename, Serialize(stream => document.Save(stream)));

    internal static byte[] Serialize(Action<Stream> save)
    {
        using var buffer = new MemoryStream();
        save(buffer);
        return buffer.ToArray();
    }
}

/// <summary>Stands in for <see cref="XDocument"/>'s loading and saving by path.</summary>
[RedirectsCallsTo(typeof(XDocument))]
public static class XDocumentRedirects
{
    public static XDocument Load(string uri) => Load(uri, LoadOptions.None);

    public static XDocument Load(string uri, LoadOptions options)
    {
        using var stream = FileRedirects.OpenRead(uri);
        return XDocument.Load(stream, options);
    }

    public static void Save(XDocument document, string fileName) => Save(document, fileName, SaveOptions.None);

    public static void Save(XDocument document, string fileName, SaveOptions options) =>
        FileRedirects.WriteAllBytes(fileName, XmlDocumentRedirects.Serialize(stream => document.Save(stream, options)));
}

/// <summary>Stands in for <see cref="XElement"/>'s loading and saving by path.</summary>
[RedirectsCallsTo(typeof(XElement))]
public static class XElementRedirects
{
    public static XElement Load(string uri) => Load(uri, LoadOptions.None);

    public static XElement Load(string uri, LoadOptions options)
    {
        using var stream = FileRedirects.OpenRead(uri);
        return XElement.Load(stream, options);
    }

    public static void Save(XElement element, string fileName) => Save(element, fileName, SaveOptions.None);

    public static void Save(XElement element, string fileName, SaveOptions options) =>
        FileRedirects.WriteAllBytes(fileName, XmlDocumentRedirects.Serialize(stream => element.Save(stream, options)));
}

/// <summary>Stands in for <see cref="XmlReader.Create(string)"/> and its overloads with a path.</summary>
[RedirectsCallsTo(typeof(XmlReader))]
public static class XmlReaderRedirects
{
    public static XmlReader Create(string inputUri) => Create(inputUri, null);

    public static XmlReader Create(string inputUri, XmlReaderSettings? settings)
    {
        var readerSettings = settings?.Clone() ?? new XmlReaderSettings();
        readerSettings.CloseInput = true;
        return XmlReader.Create(FileRedirects.OpenRead(inputUri), readerSettings, inputUri);
    }
}

/// <summary>Stands in for <see cref="XmlWriter.Create(string)"/> and its overloads with a path.</summary>
[RedirectsCallsTo(typeof(XmlWriter))]
public static class XmlWriterRedirects
{
    public static XmlWriter Create(string outputFileName) => Create(outputFileName, null);

    public static XmlWriter Create(string outputFileName, XmlWriterSettings? settings)
    {
        var writerSettings = settings?.Clone() ?? new XmlWriterSettings();
        writerSettings.CloseOutput = true;
        return XmlWriter.Create(FileRedirects.Create(outputFileName), writerSettings);
    }
}
