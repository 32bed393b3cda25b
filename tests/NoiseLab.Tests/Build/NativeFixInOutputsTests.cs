using System.IO.Compression;
using NoiseLab.Build;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Build;

/// <summary>
/// The GLIBCXX fix follows the native library into every kind of output: a publish folder, the
/// dotnet-tool package, and the build of a separate project that consumes the NoiseLab package. The
/// first two also carry the report's plotting libraries for Linux x64. The consumer picks its own
/// libtorch (here libtorch-cpu), as the core package references only the managed TorchSharp.
/// Slow (three real builds): tagged Packaging, so a quick local run can filter it out.
/// </summary>
[Trait("Category", "Packaging")]
public sealed class NativeFixInOutputsTests : IDisposable
{
    private const string Needed = "GLIBCXX_3.4.32";
    private const string Library = "libLibTorchSharp.so";
    // The report's plots: Skia (the build without fontconfig) and HarfBuzz, for Linux x64.
    private static readonly string[] s_plotLibraries = ["libSkiaSharp.so", "libHarfBuzzSharp.so"];
    // Packages only the experiment runner needs: the core package must not bring them.
    private static readonly string[] s_runnerOnly = ["Npgsql", "Microsoft.Data.Sqlite", "YamlDotNet"];
    private readonly TemporaryFolder _folder = new();
    private readonly string _root = Checkout.Root;
    private readonly string _version = "0.0.0-check." + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_published_command_carries_the_weakened_library()
    {
        string output = Path.Combine(_folder.Path, "publish");

        DotnetCommand.Run(_root, "publish", "src/NoiseLab.Cli/NoiseLab.Cli.csproj", "-c", "Release", "-o", output);

        AssertWeak(Path.Combine(output, Library));
        Assert.All(s_plotLibraries, library => Assert.True(File.Exists(Path.Combine(output, library)), $"{library} is missing"));
    }

    [Fact]
    public void The_tool_package_carries_only_linux_x64_natives_and_the_weakened_library()
    {
        string feed = Path.Combine(_folder.Path, "feed");

        DotnetCommand.Run(_root, "pack", "src/NoiseLab.Cli/NoiseLab.Cli.csproj", "-c", "Release", "-o", feed, $"-p:PackageVersion={_version}");

        using ZipArchive package = ZipFile.OpenRead(Path.Combine(feed, $"NoiseLab.Cli.{_version}.nupkg"));
        Assert.Contains("Linux x64 only", PackageManifest.Read(package).Description, StringComparison.Ordinal);
        ZipArchiveEntry[] natives = [.. package.Entries.Where(e => e.Name == Library)];
        Assert.Single(natives);
        Assert.All(s_plotLibraries, library => Assert.Equal("tools/net10.0/linux-x64/" + library, Assert.Single(package.Entries, e => e.Name == library).FullName));
        Assert.DoesNotContain(package.Entries, e => e.Name.EndsWith(".dll", StringComparison.Ordinal) && e.FullName.Contains("win-x64", StringComparison.Ordinal));
        Assert.DoesNotContain(package.Entries, e => e.Name.EndsWith(".dylib", StringComparison.Ordinal));
        using var content = new MemoryStream();
        using (Stream entry = natives[0].Open())
            entry.CopyTo(content);
        int[] flags = ElfVersionRequirement.FindFlagOffsets(content.ToArray(), Needed, out _);
        Assert.Single(flags);
        Assert.Equal(2, content.ToArray()[flags[0]] & 2);
    }

    [Fact]
    public void A_project_consuming_the_package_builds_runs_and_computes()
    {
        string feed = Path.Combine(_folder.Path, "feed");
        string consumer = Path.Combine(_folder.Path, "consumer");
        Directory.CreateDirectory(consumer);
        DotnetCommand.Run(_root, "pack", "src/NoiseLab/NoiseLab.csproj", "-c", "Release", "-o", feed, $"-p:PackageVersion={_version}");
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="noiselab-check" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
                <SelfContained>false</SelfContained>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="NoiseLab" Version="{_version}" />
                <PackageReference Include="libtorch-cpu" Version="2.10.0" />
              </ItemGroup>
            </Project>
            """);
        // The example's plain loop, as an application of its own would hold it, on the token task (no data files needed).
        foreach (string source in new[] { "LoopNoise.cs", "PlainLoop.cs" })
            File.Copy(Path.Combine(_root, "examples", "NoiseLab.Examples", source), Path.Combine(consumer, source));
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), """
            using NoiseLab.Data;
            using NoiseLab.Examples;
            using NoiseLab.Models;
            using static TorchSharp.torch;
            using DataSplits data = DataSetCatalog.Load("synthetic:majority:train=256", new DataOptions { Validation = new ValidationSplit(Size: 64) });
            using var model = ModelRegistry.Create(ModelSpec.Parse("transformer"), new ModelShape(data.SampleShape, data.Outputs, data.VocabularySize), 0);
            using var loop = new PlainLoop(model, 0.1, new LoopNoise { Embedding = 5.0, Gradient = 1e-3, AntiPgd = 1e-3 }, seed: 0);
            double loss = loop.TrainEpoch(data.Train, 32);
            Console.WriteLine(double.IsFinite(loss) ? $"steps {loop.Step}" : "diverged");
            Console.WriteLine(new NoiseLab.Models.Mlp(4, [3], 2).forward(ones(5, 4)).shape[0] + ones(2, 2).matmul(ones(2, 2)).sum().item<float>());
            """);

        string printed = DotnetCommand.Run(consumer, "run", "-c", "Release");

        string[] lines = printed.Trim().Split('\n');
        Assert.Equal("steps 8", lines[^2].Trim());
        Assert.Equal("13", lines[^1]);
        AssertWeak(Path.Combine(consumer, "bin", "Release", "net10.0", "linux-x64", Library));
        // The core package leaves the experiment runner's dependencies (and the choice of libtorch) to the application.
        string assets = File.ReadAllText(Path.Combine(consumer, "obj", "project.assets.json"));
        Assert.All(s_runnerOnly, package => Assert.DoesNotContain($"\"{package}/", assets, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("\"TorchSharp-cpu/", assets, StringComparison.OrdinalIgnoreCase);
    }

    private static void AssertWeak(string library)
    {
        Assert.True(File.Exists(library), $"{library} is missing");
        Assert.Single(ElfVersionRequirement.FindFlagOffsets(File.ReadAllBytes(library), Needed, out _));
        Assert.False(ElfVersionRequirement.HasStrongRequirement(library, Needed));
    }
}
