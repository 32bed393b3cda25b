using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Build;

/// <summary>
/// The library packages follow NuGet's conventions: tags, licence, readme, the git commit they were built
/// from (SourceLink), a symbol package whose PDB belongs to the packed assembly, and dependencies on the
/// sibling package at the same version. Slow (a real pack): tagged Packaging.
/// </summary>
[Trait("Category", "Packaging")]
public sealed class PackageConventionsTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly string _version = "0.0.0-conventions." + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_experiments_package_names_its_commit_tags_and_sibling_and_ships_a_matching_symbol_package()
    {
        string feed = Path.Combine(_folder.Path, "feed");
        DotnetCommand.Run(Checkout.Root, "pack", "src/NoiseLab.Experiments/NoiseLab.Experiments.csproj", "-c", "Release", "-o", feed, $"-p:PackageVersion={_version}");

        using ZipArchive package = ZipFile.OpenRead(Path.Combine(feed, $"NoiseLab.Experiments.{_version}.nupkg"));
        using ZipArchive symbols = ZipFile.OpenRead(Path.Combine(feed, $"NoiseLab.Experiments.{_version}.snupkg"));
        PackageManifest manifest = PackageManifest.Read(package);

        Assert.Contains("torchsharp", manifest.Tags.Split(' '));
        Assert.Contains("noise-injection", manifest.Tags.Split(' '));
        Assert.Equal("git", manifest.RepositoryType);
        if (Directory.Exists(Checkout.File(".git")) || File.Exists(Checkout.File(".git")))
            Assert.Equal(Git("rev-parse", "HEAD"), manifest.RepositoryCommit);
        Assert.Equal(_version, manifest.Dependencies["NoiseLab"]);
        Assert.Single(package.Entries, e => e.FullName == "README.md");

        // The symbol package's PDB is the one the packed assembly's debug directory points at.
        Guid assemblyPdbId = PdbId(Read(package, "lib/net10.0/NoiseLab.Experiments.dll"));
        using var pdb = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(Read(symbols, "lib/net10.0/NoiseLab.Experiments.pdb")));
        var id = new BlobContentId(pdb.GetMetadataReader().DebugMetadataHeader!.Id);
        Assert.Equal(assemblyPdbId, id.Guid);
    }

    private static Guid PdbId(byte[] assembly)
    {
        using var reader = new PEReader(new MemoryStream(assembly));
        DebugDirectoryEntry codeView = reader.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView);
        return reader.ReadCodeViewDebugDirectoryData(codeView).Guid;
    }

    private static byte[] Read(ZipArchive archive, string path)
    {
        using Stream entry = Assert.Single(archive.Entries, e => e.FullName == path).Open();
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Git(params string[] arguments)
    {
        var outcome = CliProcess.Start("git", ["-C", Checkout.Root, .. arguments], null, TimeSpan.FromMinutes(1));
        Assert.Equal(0, outcome.ExitCode);
        return outcome.StandardOutput.Trim();
    }
}
