using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using NoiseLab.Cli.Reports;
using NoiseLab.Experiments;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Cli.Reports;

/// <summary>
/// The whole report folder from real sweeps on Fashion-MNIST (300 training images, mlp:8): one sweep
/// with the adaptive controller set to fire from epoch 2 on (every plateau threshold at 10), one with
/// no noise at all.
/// </summary>
public sealed class ReportFolderTests(ReportFolderTests.SweptStore swept) : IClassFixture<ReportFolderTests.SweptStore>, IDisposable
{
    private const string Configuration = "fashion-mnist|mlp:8|momentum:0.05|clip=none";
    private const string Adaptive = """
        name: adaptive
        limit_train: 300
        epochs: 3
        seeds: [0, 1]
        models: ["mlp:8"]
        optimizers: [{optimizer: momentum, lr: 0.05}]
        success_at: 0.15
        noise:
          none: []
          adaptive: ["adaptive:min_epochs=0,window=2,val_plateau=10,grad_plateau=10"]
        """;
    private const string Plain = """
        name: plain
        limit_train: 300
        epochs: 2
        seeds: [0, 1]
        models: ["mlp:8"]
        optimizers: [{optimizer: momentum, lr: 0.05}]
        noise:
          none: []
        """;

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_report_shows_valid_pngs_of_the_stated_sizes_and_every_reference_resolves()
    {
        RunStore store = swept.Store;
        string report = Path.Combine(_folder.Path, "report");
        var warnings = new StringWriter();

        string printed = ReportFolder.Write(store, report, warnings);

        var expected = new Dictionary<string, (int Width, int Height)>
        {
            ["adaptive_fashion-mnist-mlp-8-momentum-0.05-clip-none_learning-curves.png"] = (1000, 960),
            ["adaptive_fashion-mnist-mlp-8-momentum-0.05-clip-none_noise-level.png"] = (1000, 320),
            ["adaptive_fashion-mnist-mlp-8-momentum-0.05-clip-none_learning-rate.png"] = (1000, 320),
            ["plain_fashion-mnist-mlp-8-momentum-0.05-clip-none_learning-curves.png"] = (1000, 960),
            ["plain_fashion-mnist-mlp-8-momentum-0.05-clip-none_learning-rate.png"] = (1000, 320),
        };
        string[] written = [.. Directory.GetFiles(Path.Combine(report, "plots")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), written);
        foreach (var (name, size) in expected)
        {
            PngFile png = PngFile.Read(File.ReadAllBytes(Path.Combine(report, "plots", name)));
            Assert.Equal(size, (png.Width, png.Height));
        }
        Assert.Empty(Directory.GetFiles(report, "*.part", SearchOption.AllDirectories));
        Assert.Equal("", warnings.ToString());

        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        string[] htmlReferences = [.. Regex.Matches(html, "(?:src|href)\\s*=\\s*[\"']([^\"']*)[\"']").Select(m => m.Groups[1].Value)];
        Assert.Equal(5, htmlReferences.Length);
        Assert.All(htmlReferences, reference => AssertResolves(report, reference));
        Assert.Equal(expected.Keys.Select(name => "plots/" + name).Order(StringComparer.Ordinal), htmlReferences.Order(StringComparer.Ordinal));
        Assert.Matches("<img src=\"plots/adaptive_fashion-mnist-mlp-8-momentum-0.05-clip-none_learning-curves.png\" alt=\"[^\"]+\" width=\"1000\" height=\"960\">", html);

        string markdown = File.ReadAllText(Path.Combine(report, "report.md"));
        Assert.Equal(printed, markdown);
        string[] markdownReferences = [.. Regex.Matches(markdown, "\\]\\(([^)]*)\\)").Select(m => m.Groups[1].Value)];
        Assert.Equal(htmlReferences.Order(StringComparer.Ordinal), markdownReferences.Order(StringComparer.Ordinal));
        Assert.All(markdownReferences, reference => AssertResolves(report, reference));
    }

    [Fact]
    public void The_report_tables_still_hold_the_stored_numbers()
    {
        RunStore store = swept.Store;

        string markdown = ReportFolder.Write(store, Path.Combine(_folder.Path, "report"), TextWriter.Null);

        foreach (var (sweep, plan) in new[] { ("adaptive", "none"), ("adaptive", "adaptive"), ("plain", "none") })
        {
            double[] scores = [.. store.Runs(sweep).Where(r => r.Plan == plan)
                .Select(r => JsonDocument.Parse(r.Result!).RootElement.GetProperty("test_accuracy").GetDouble())];
            double mean = scores.Average(), std = Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / (scores.Length - 1));
            Assert.Contains(string.Create(CultureInfo.InvariantCulture,
                $"| {Configuration.Replace("|", "\\|", StringComparison.Ordinal)} | {plan} | 2 | {mean:F4} ± {std:F4} | {scores.Max():F4} |"), markdown, StringComparison.Ordinal);
        }
        Assert.Contains("| adaptive | ", markdown.Split("| Δ test accuracy |")[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_sweep_with_an_adaptive_plan_gets_a_noise_level_figure_of_its_stored_levels_and_triggers_and_one_without_noise_does_not()
    {
        RunStore store = swept.Store;

        ConfigurationHistory adaptive = Assert.Single(ConfigurationHistory.Load(store, "adaptive"));
        ConfigurationHistory plain = Assert.Single(ConfigurationHistory.Load(store, "plain"));
        Chart? levels = ConfigurationFigures.Sigmas(adaptive);

        Assert.Null(ConfigurationFigures.Sigmas(plain));
        ChartPanel panel = Assert.Single(levels!.Panels);
        Assert.Equal("σ, plan adaptive", panel.YLabel);
        // Warm-up at epoch 1 (one epoch, window 2); both rules fire at epochs 2 and 3 in both seeds.
        Assert.All(panel.Triggers, t => Assert.Equal([(2, 2), (3, 2)], t.Marks.Select(m => (m.Epoch, m.Seeds))));
        Assert.Equal([TriggerKind.Stuck, TriggerKind.Overfitting], panel.Triggers.Select(t => t.Kind));
        // The σ chosen at epoch 2's end is the gradient and weight noise of epoch 3, each seed's own.
        var histories = store.Runs("adaptive").Where(r => r.Plan == "adaptive").Select(r => store.Epochs("adaptive", r.Id)).ToList();
        double chosen = histories.Average(h => h[1].Diagnostics["adaptive.sigma_next"]);
        Assert.True(chosen > 0);
        Curve gradient = panel.Curves.Single(c => c.Label == "σ adaptive.gradient");
        Assert.Equal([0, 0], gradient.Points.Take(2).Select(p => p.Mean));
        Assert.Equal(chosen, gradient.Points[2].Mean, 9);
        Assert.Equal(chosen, panel.Triggers[0].Marks[0].Level, 12);
    }

    private static void AssertResolves(string folder, string reference)
    {
        Assert.False(Uri.TryCreate(reference, UriKind.Absolute, out _), $"'{reference}' is not relative");
        Assert.False(reference.StartsWith('/') || reference.Contains("..", StringComparison.Ordinal), $"'{reference}' leaves the report folder");
        Assert.True(File.Exists(Path.Combine(folder, reference)), $"'{reference}' does not exist");
    }

    /// <summary>Both sweeps, trained once for all the tests of the class.</summary>
    public sealed class SweptStore : IDisposable
    {
        private readonly TemporaryFolder _folder = new();

        public SweptStore()
        {
            Store = RunStore.Open(_folder.File("store.db"));
            SweepRunner.Run(SweepSpec.Parse(Adaptive, "adaptive.yaml"), Adaptive, Store, new SweepOptions { Threads = 2, CheckpointRoot = _folder.File("checkpoints") });
            SweepRunner.Run(SweepSpec.Parse(Plain, "plain.yaml"), Plain, Store, new SweepOptions { Threads = 2, CheckpointRoot = _folder.File("checkpoints") });
        }

        public RunStore Store { get; }

        public void Dispose()
        {
            Store.Dispose();
            SqliteConnection.ClearAllPools();
            _folder.Dispose();
        }
    }
}
