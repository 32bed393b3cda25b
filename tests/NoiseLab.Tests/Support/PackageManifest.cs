using System.IO.Compression;
using System.Xml.Linq;

namespace NoiseLab.Tests.Support;

/// <summary>The parts of a package's .nuspec that the packaging tests check.</summary>
internal sealed record PackageManifest(string Description, string Tags, string? RepositoryType, string? RepositoryCommit, string? RepositoryUrl, IReadOnlyDictionary<string, string> Dependencies)
{
    /// <summary>Reads the one .nuspec at the root of <paramref name="package"/>.</summary>
    public static PackageManifest Read(ZipArchive package)
    {
        ZipArchiveEntry nuspec = Assert.Single(package.Entries, e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        using Stream stream = nuspec.Open();
        XElement metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Text(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
        XElement? repository = metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "repository");
        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);
        return new PackageManifest(Text("description"), Text("tags"), (string?)repository?.Attribute("type"),
            (string?)repository?.Attribute("commit"), (string?)repository?.Attribute("url"), dependencies);
    }
}
