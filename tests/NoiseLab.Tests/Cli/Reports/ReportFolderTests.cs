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
            // The forest plot: one row (the adaptive plan against none), 140 px of title, axis and legend plus 60 a row.
            ["adaptive_fashion-mnist-mlp-8-momentum-0.05-clip-none_forest-plot.png"] = (1000, 200),
            ["adaptive_fashion-mnist-mlp-8-momentum-0.05-clip-none_learning-curves.png"] = (1000, 960),
            ["adaptive_fashion-mnist-mlp-8-momentum-0.05-clip-none_success-rate.png"] = (1000, 320),
            ["adaptive_fashion-mnist-mlp-8-momentum-0.05-clip-none_noise-level.png"] = (1000, 320),
            ["adaptive_fashion-mnist-mlp-8-momentum-0.05-clip-none_learning-rate.png"] = (1000, 320),
            ["plain_fashion-mnist-mlp-8-momentum-0.05-clip-none_learning-curves.png"] = (1000, 960),
            ["plain_fashion-mnist-mlp-8-momentum-0.05-clip-none_success-rate.png"] = (1000, 320),
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
        Assert.Equal(8, htmlReferences.Length);
        Assert.All(htmlReferences, reference => AssertResolves(report, reference));
        Assert.Equal(expected.Keys.Select(name => "plots/" + name).Order(StringComparer.Ordinal), htmlReferences.Order(StringComparer.Ordinal));
        Assert.Contains("<img src=\"plots/adaptive_fashion-mnist-mlp-8-momentum-0.05-clip-none_learning-curves.png\" alt=\"learning curves\" />", html, StringComparison.Ordinal);

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
            string row = markdown.Split('\n').Single(line => line.StartsWith($"| {Configuration.Replace("|", "\\|", StringComparison.Ordinal)} | {plan} | 2 | 0 | ", StringComparison.Ordinal)
                && line.Contains(string.Create(CultureInfo.InvariantCulture, $"{mean:F4} ± {std:F4}"), StringComparison.Ordinal));
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"| {scores.Max():F4} |"), row, StringComparison.Ordinal);
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

    [Fact]
    public void The_html_page_carries_the_markdowns_tables_cell_for_cell()
    {
        string report = Path.Combine(_folder.Path, "report");
        string markdown = ReportFolder.Write(swept.Store, report, TextWriter.Null);
        string html = File.ReadAllText(Path.Combine(report, "index.html"));

        // Every Markdown table row (separator rows left out), its cells unescaped; every HTML row, its cells decoded.
        string[][] markdownRows = [.. markdown.Split('\n')
            .Where(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| ---", StringComparison.Ordinal))
            .Select(line => Regex.Split(line.Trim()[1..^1], "(?<!\\\\)\\|").Select(cell => cell.Trim().Replace("\\|", "|", StringComparison.Ordinal)).ToArray())];
        string[][] htmlRows = [.. Regex.Matches(html, "<tr>(.*?)</tr>", RegexOptions.Singleline)
            .Select(row => Regex.Matches(row.Groups[1].Value, "<t[dh][^>]*>(.*?)</t[dh]>", RegexOptions.Singleline)
                .Select(cell => System.Net.WebUtility.HtmlDecode(Regex.Replace(cell.Groups[1].Value, "<[^>]+>", "")).Trim()).ToArray())];

        Assert.True(markdownRows.Length >= 16, $"only {markdownRows.Length} rows");
        Assert.Equal(markdownRows.Length, htmlRows.Length);
        for (int i = 0; i < markdownRows.Length; i++)
            Assert.Equal(markdownRows[i], htmlRows[i]);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void In_a_browser_800_pixels_wide_the_page_renders_every_image_loads_and_nothing_scrolls_sideways()
    {
        HeadlessChromium.SkipIfMissing();
        string report = Path.Combine(_folder.Path, "report");
        ReportFolder.Write(swept.Store, report, TextWriter.Null);
        string page = Path.Combine(report, "index.html");

        HeadlessChromium.Rendered rendered = HeadlessChromium.Load(page, 800);

        Assert.Equal(8, rendered.Images);
        Assert.Empty(rendered.Broken);
        Assert.True(rendered.ScrollWidth <= rendered.ClientWidth, $"the page is {rendered.ScrollWidth} px wide in a {rendered.ClientWidth} px window");
        // The check sees what it should: a missing image is reported as broken.
        string damaged = Path.Combine(report, "damaged.html");
        File.WriteAllText(damaged, File.ReadAllText(page).Replace("plots/plain_", "plots/missing_", StringComparison.Ordinal));
        Assert.Equal(3, HeadlessChromium.Load(damaged, 800).Broken.Count);
    }

    [Fact]
    public void The_report_states_its_provenance_explains_its_tables_and_warns_that_two_seeds_are_few()
    {
        var clock = new NoiseLab.Tests.TensorBoard.FixedClock(new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero));

        string markdown = ReportFolder.Write(swept.Store, Path.Combine(_folder.Path, "report"), TextWriter.Null, clock);

        string adaptive = markdown[..markdown.IndexOf("# Sweep plain", StringComparison.Ordinal)];
        Assert.Contains($"Made with NoiseLab {ReportProvenance.CurrentVersion} on 2026-12-01 09:30 UTC, on {ReportProvenance.CurrentMachine}.", adaptive, StringComparison.Ordinal);
        Assert.Contains("```yaml\n" + Adaptive.TrimEnd() + "\n```", adaptive.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Holm p < α = 0.05 and the interval lies on that side of 0", adaptive, StringComparison.Ordinal);
        Assert.Contains("so an interval can exclude 0 while the verdict says \"no detectable difference\"", adaptive, StringComparison.Ordinal);
        Assert.Contains("count as failures in the success rate, the share of runs whose test accuracy reaches 0.15", adaptive, StringComparison.Ordinal);
        Assert.Contains($"**Few seeds.** These verdicts rest on fewer than 5 seeds: {Configuration.Replace("|", "\\|", StringComparison.Ordinal)} · adaptive (2). With 2 values a bootstrap has only 3 distinct resamples and the sign-flip p cannot go below 0.5", adaptive, StringComparison.Ordinal);
        Assert.Contains("<details><summary>Each run of fashion-mnist|mlp:8|momentum:0.05|clip=none · adaptive</summary>", adaptive, StringComparison.Ordinal);
        // The plain sweep has only the baseline: nothing to compare, and nothing to warn about.
        string plain = markdown[markdown.IndexOf("# Sweep plain", StringComparison.Ordinal)..];
        Assert.DoesNotContain("Few seeds", plain, StringComparison.Ordinal);
    }

    [Fact]
    public void The_paired_comparison_is_the_mean_of_each_seeds_difference_with_its_t_interval_and_exact_sign_flip_p()
    {
        RunStore store = swept.Store;

        SweepReport report = SweepReport.Build(store, "adaptive", successAt: 0.15);

        double Score(string plan, long seed) => store.Runs("adaptive")
            .Where(r => r.Plan == plan && r.Id.EndsWith($"|seed={seed}", StringComparison.Ordinal))
            .Select(r => JsonDocument.Parse(r.Result!).RootElement.GetProperty("test_accuracy").GetDouble()).Single();
        double[] differences = [Score("adaptive", 0) - Score("none", 0), Score("adaptive", 1) - Score("none", 1)];
        PairedComparison paired = Assert.Single(report.PairedComparisons);
        Assert.Equal(2, paired.Seeds);
        Assert.Equal(differences.Average(), paired.Difference, 12);
        // Two pairs: t(0.975, 1) = 12.7062047361747 times s/√2; the four sign assignments give p = 0.5, or 1 when the two differences cancel.
        double halfWidth = 12.7062047361747 * Math.Abs(differences[0] - differences[1]) / Math.Sqrt(2) / Math.Sqrt(2);
        Assert.Equal(differences.Average() - halfWidth, paired.Low, 9);
        Assert.Equal(differences.Average() + halfWidth, paired.High, 9);
        Assert.Equal(Math.Abs(differences[0]) == Math.Abs(differences[1]) && Math.Sign(differences[0]) != Math.Sign(differences[1]) ? 1.0 : 0.5, paired.P);
        Assert.Equal(NoiseLab.Statistics.Verdict.NoDetectableDifference, paired.Verdict);
        Assert.Equal(2, Assert.Single(report.Comparisons).Seeds);
        Assert.Equal(4, report.Runs.Count);
        Assert.Equal(["none", "none", "adaptive", "adaptive"], report.Runs.Select(r => r.Plan));
        Assert.Equal([0L, 1L, 0L, 1L], report.Runs.Select(r => r.Seed));
    }

    [Fact]
    public void A_sweep_without_a_baseline_says_why_there_is_no_comparison()
    {
        const string yaml = """
            name: nobase
            limit_train: 200
            epochs: 1
            seeds: [0, 1]
            models: ["mlp:8"]
            optimizers: [{optimizer: sgd, lr: 0.1}]
            noise:
              input: ["input:gaussian:sigma=0.1"]
            """;
        using RunStore store = RunStore.Open(_folder.File("nobase.db"));
        SweepRunner.Run(SweepSpec.Parse(yaml, "nobase.yaml"), yaml, store, NoiseLab.Tests.Experiments.RunStoreTests.Options(_folder.Path));

        string markdown = SweepReport.Build(store, "nobase", successAt: 0.5).ToMarkdown();

        Assert.Contains("Note: The sweep has no plan named 'none', the no-noise baseline that each plan is compared with, so there is no comparison; add `none: []` to the spec's noise plans to get one.", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Δ test accuracy", markdown, StringComparison.Ordinal);
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
            SweepRunner.Run(SweepSpec.Parse(Adaptive, "adaptive.yaml"), Adaptive, Store, NoiseLab.Tests.Experiments.RunStoreTests.Options(_folder.Path));
            SweepRunner.Run(SweepSpec.Parse(Plain, "plain.yaml"), Plain, Store, NoiseLab.Tests.Experiments.RunStoreTests.Options(_folder.Path));
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
