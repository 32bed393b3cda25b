using System.Globalization;
using Microsoft.Data.Sqlite;
using NoiseLab.Experiments;
using NoiseLab.Statistics;
using NoiseLab.Tests.Support;
using NoiseLab.Training;

namespace NoiseLab.Tests.Experiments;

/// <summary>
/// The report's time-to-target section from stores filled by hand: a forecaster whose validation MAE per epoch is known (the
/// target is the median final MAE of no noise; a plan that gets there by epoch 2 or 3, one that never does, with a diverged and
/// a pruned run among its censored ones), and a classifier timed on its validation accuracy.
/// </summary>
public sealed class TimeToTargetTests : IDisposable
{
    private const string ForecastSpec = """
        name: reach
        data: seattle-temp
        epochs: 5
        seeds: [0, 1, 2, 3]
        models: [lstm]
        optimizers: [{optimizer: adam, lr: 0.005}]
        noise:
          none: []
          fast: ["perturb:gaussian:sigma=0.003,when=after,scope=all"]
          never: ["perturb:gaussian:sigma=0.003,when=before,scope=all"]
        """;

    // Validation MAE by plan and seed, epoch 1 first. No noise ends at 1.9, 2.0, 2.0 and 2.4: the target is their median, 2.0.
    private static readonly Dictionary<(string Plan, int Seed), double[]> s_mae = new()
    {
        [("none", 0)] = [3.0, 2.8, 2.5, 1.95, 1.9],   // reaches at epoch 4
        [("none", 1)] = [3.0, 2.8, 2.5, 2.2, 2.0],    // at 5: equal to the target counts
        [("none", 2)] = [3.0, 2.7, 2.4, 2.1, 2.0],    // at 5
        [("none", 3)] = [3.0, 2.9, 2.7, 2.5, 2.4],    // never: censored at 6
        [("fast", 0)] = [2.6, 1.99, 1.8, 1.7, 1.7],   // 2
        [("fast", 1)] = [2.6, 2.3, 2.0, 1.9, 1.8],    // 3
        [("fast", 2)] = [2.5, 1.5, 2.5, 2.5, 2.5],    // 2: the first epoch at the target counts, whatever comes after
        [("fast", 3)] = [2.9, 2.1, 1.6, 1.6, 1.6],    // 3
        [("never", 0)] = [2.9, 2.8, 2.7, 2.6, 2.5],
        [("never", 1)] = [2.9, 2.5, 2.4, 2.3, 2.2],
        [("never", 2)] = [2.9, double.NaN],           // diverged at epoch 2
        [("never", 3)] = [3.1, 3.0],                  // pruned after epoch 2
    };

    private static readonly double[] s_none = [4, 5, 5, 6], s_fast = [2, 3, 2, 3], s_never = [6, 6, 6, 6];

    private readonly TemporaryFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private static EpochRecord Epoch(int epoch, double valMae) => new()
    {
        Epoch = epoch, TrainLoss = 0.5, ValLoss = valMae * valMae / 4,
        TrainMetrics = new Dictionary<string, double> { ["mse"] = 1, ["mae"] = 0.8 },
        ValMetrics = new Dictionary<string, double> { ["mse"] = valMae * valMae, ["mae"] = valMae },
        GradNorm = 1, WeightUpdateNorm = 0.1, LearningRate = 0.005,
    };

    private SweepReport ForecastReport()
    {
        RunStore store = RunStore.Open(_folder.File("reach.db"));
        StoredRuns.Fill(store, ForecastSpec, (_, id) =>
        {
            string[] parts = id.Split('|');
            (string plan, int seed) = (parts[4], int.Parse(parts[5]["seed=".Length..], CultureInfo.InvariantCulture));
            EpochRecord[] history = [.. s_mae[(plan, seed)].Select((mae, i) => Epoch(i + 1, mae))];
            if (history.Length == 5)
            {
                StoredRuns.Finish(store, "reach", id, history, new TrainingResult([], 0.3, null, new Dictionary<string, double> { ["mse"] = 5, ["mae"] = 1.8 }));
                return true;
            }
            foreach (EpochRecord record in history)
                store.RecordEpoch("reach", id, StoredRuns.Worker, record);
            store.Stop("reach", id, StoredRuns.Worker, seed == 2 ? RunStatus.Diverged : RunStatus.Pruned, "stopped at epoch 2");
            return true;
        });
        using (store)
            return SweepReport.Build(store, "reach", successAt: 0.5);
    }

    [Fact]
    public void A_forecasters_target_is_the_median_final_validation_mae_of_no_noise_and_each_run_is_timed_to_it()
    {
        SweepReport report = ForecastReport();

        ReachTarget target = Assert.Single(report.ReachTargets);
        Assert.Equal(new ReachTarget("seattle-temp|lstm|adam:0.005|clip=none", "val_mae", 2.0, 4), target);
        Assert.False(target.HigherIsBetter);
        Assert.Equal(["none", "fast", "never"], report.Reach.Select(r => r.Plan));
        // By hand: none reaches at 4, 5, 5 and never (6); fast at 2, 3, 2, 3; never's four runs, two of them stopped, never do.
        Assert.Equal(new ReachSummary(target.Configuration, "none", 3, 4, 5, 4, 5, 5), report.Reach[0]);
        Assert.Equal(new ReachSummary(target.Configuration, "fast", 4, 4, 2.5, 2, 3, 2.5), report.Reach[1]);
        Assert.Equal(new ReachSummary(target.Configuration, "never", 0, 4, null, null, null, 6), report.Reach[2]);
        Assert.Equal(3, target.ReachedAt([Epoch(1, 2.5), Epoch(2, double.NaN), Epoch(3, 1.0), Epoch(4, 0.5)]));
        Assert.Null(target.ReachedAt([]));
        // The forecaster has no test accuracy, so the accuracy tables count none of its finished runs; these count them all.
        Assert.All(report.Plans, plan => Assert.Equal(0, plan.TestAccuracy.Runs));
        Assert.Empty(report.ReachNotes);
    }

    [Fact]
    public void Each_plans_mean_epoch_is_compared_with_no_noise_by_bootstrap_welch_and_holm_over_the_time_to_target_family()
    {
        SweepReport report = ForecastReport();

        Assert.Equal(["fast", "never"], report.ReachComparisons.Select(c => c.Plan));
        ReachComparison fast = report.ReachComparisons[0], never = report.ReachComparisons[1];
        Assert.Equal((4, -2.5, 4, 1.0), (fast.Seeds, fast.Difference, never.Seeds, never.Difference));
        Assert.Equal(Comparison.BootstrapDifference(s_fast, s_none), (fast.Difference, fast.Low, fast.High));
        Assert.Equal(Comparison.BootstrapDifference(s_never, s_none), (never.Difference, never.Low, never.High));
        double fastP = WelchTTest.Test(s_fast, s_none).P, neverP = WelchTTest.Test(s_never, s_none).P;
        Assert.Equal((fastP, neverP), (fast.P, never.P));
        // Welch by hand for fast: t = −2.5 / √(1/12 + 1/6) = −5 on 5.4 degrees of freedom.
        Assert.Equal(WelchTTest.TwoSidedP(-5, 5.4), fastP, 12);
        Assert.Equal(Comparison.Holm([fastP, neverP]), new[] { fast.AdjustedP, never.AdjustedP });
        Assert.Equal(2 * fastP, fast.AdjustedP, 15);
        // fast's resampled means are at most 3 and none's at least 4, so its interval lies below 0: faster.
        Assert.True(fast.High <= -1 && fast.AdjustedP < 0.05, $"interval [{fast.Low}, {fast.High}], Holm p {fast.AdjustedP}");
        Assert.Equal(ShiftVerdict.Lower, fast.Verdict);
        Assert.Equal(ShiftVerdict.NoDetectableDifference, never.Verdict);
        Assert.True(never.AdjustedP >= 0.05, $"Holm p {never.AdjustedP}");
    }

    [Fact]
    public void The_markdown_states_the_target_the_censoring_rule_and_each_plans_rows()
    {
        SweepReport report = ForecastReport();
        string markdown = report.ToMarkdown().Replace("\r\n", "\n", StringComparison.Ordinal);

        const string configuration = "seattle-temp\\|lstm\\|adam:0.005\\|clip=none";
        Assert.Contains("## Time to reach no noise's result", markdown, StringComparison.Ordinal);
        Assert.Contains($"\n| {configuration} | val_mae (≤) | 2.0000 | 4 |\n", markdown, StringComparison.Ordinal);
        Assert.Contains($"\n| {configuration} | none | 3/4 | 5 | 4–5 | 5.00 |\n", markdown, StringComparison.Ordinal);
        Assert.Contains($"\n| {configuration} | fast | 4/4 | 2.5 | 2–3 | 2.50 |\n", markdown, StringComparison.Ordinal);
        Assert.Contains($"\n| {configuration} | never | 0/4 | – | – | 6.00 |\n", markdown, StringComparison.Ordinal);
        ReachComparison fast = report.ReachComparisons[0];
        Assert.Contains(string.Create(CultureInfo.InvariantCulture,
            $"\n| {configuration} | fast | 4 | -2.5000 | [{SweepReport.Signed(fast.Low)}, {SweepReport.Signed(fast.High)}] | {fast.P:F4} | {fast.AdjustedP:F4} | faster |\n"), markdown, StringComparison.Ordinal);
        Assert.Contains($"| {configuration} | never | 4 | +1.0000 |", markdown, StringComparison.Ordinal);
        Assert.Contains("A run that never reaches the target is censored: it counts as its planned epochs + 1 in the mean and in Δ", markdown, StringComparison.Ordinal);
        Assert.Contains("diverged and pruned ones up to the epoch they stopped at", markdown, StringComparison.Ordinal);
        Assert.Contains("Holm p corrects it for the 2 time-to-target comparison(s) of this sweep", markdown, StringComparison.Ordinal);
        Assert.True(markdown.IndexOf("## Time to reach", StringComparison.Ordinal) > markdown.IndexOf("## Noise plans against no noise", StringComparison.Ordinal));
        // No run measured sharpness: that section is not there.
        Assert.Empty(report.Sharpness);
        Assert.DoesNotContain("## Sharpness at the end", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_classifier_is_timed_on_its_validation_accuracy_rising_to_the_target()
    {
        const string spec = "name: acc\nlimit_train: 300\nepochs: 3\nseeds: [0, 1]\nmodels: [\"mlp:8\"]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise:\n  none: []\n  noisy: [\"gradient:gaussian:sigma=0.01\"]\n";
        // No noise ends at 0.80 and 0.84: the target is 0.82, which seed 0 never reaches and seed 1 reaches at epoch 3.
        var accuracy = new Dictionary<(string Plan, int Seed), double[]>
        {
            [("none", 0)] = [0.70, 0.78, 0.80],
            [("none", 1)] = [0.72, 0.81, 0.84],
            [("noisy", 0)] = [0.83, 0.84, 0.85],
            [("noisy", 1)] = [0.75, 0.83, 0.80],
        };
        using RunStore store = RunStore.Open(_folder.File("acc.db"));
        StoredRuns.Fill(store, spec, (_, id) =>
        {
            string[] parts = id.Split('|');
            double[] values = accuracy[(parts[4], int.Parse(parts[5]["seed=".Length..], CultureInfo.InvariantCulture))];
            StoredRuns.Finish(store, "acc", id, values.Select((a, i) => new EpochRecord
            {
                Epoch = i + 1, TrainLoss = 0.5, ValLoss = 1 - a, TrainAccuracy = a, ValAccuracy = a, GradNorm = 1, WeightUpdateNorm = 0.1, LearningRate = 0.1,
            }), StoredRuns.Result(0.5, 0.8));
            return true;
        });

        SweepReport report = SweepReport.Build(store, "acc", successAt: 0.5);

        ReachTarget target = Assert.Single(report.ReachTargets);
        Assert.Equal(("val_accuracy", 2), (target.Figure, target.BaselineRuns));
        Assert.Equal(0.82, target.Value, 12);
        Assert.True(target.HigherIsBetter);
        Assert.Equal(new ReachSummary(target.Configuration, "none", 1, 2, 3, 3, 3, 3.5), report.Reach[0]);   // 3 and 4 (censored)
        Assert.Equal(new ReachSummary(target.Configuration, "noisy", 2, 2, 1.5, 1, 2, 1.5), report.Reach[1]);
        ReachComparison noisy = Assert.Single(report.ReachComparisons);
        Assert.Equal(-2, noisy.Difference, 12);
        Assert.Equal(WelchTTest.Test([1.0, 2.0], [3.0, 4.0]).P, noisy.P);
        Assert.Contains("| val_accuracy (≥) | 0.8200 | 2 |", report.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_finished_baseline_run_a_configuration_has_no_target_and_the_report_says_so()
    {
        using RunStore store = RunStore.Open(_folder.File("nobase.db"));
        StoredRuns.Fill(store, ForecastSpec, (_, id) =>
        {
            if (id.Contains("|none|", StringComparison.Ordinal))
                store.Stop("reach", id, StoredRuns.Worker, RunStatus.Diverged, "Training diverged at epoch 1.");
            else
                StoredRuns.Finish(store, "reach", id, [Epoch(1, 2.0)], new TrainingResult([], 0.3, null, new Dictionary<string, double> { ["mae"] = 2 }));
            return true;
        });

        SweepReport report = SweepReport.Build(store, "reach", successAt: 0.5);

        Assert.Empty(report.ReachTargets);
        Assert.Empty(report.Reach);
        Assert.Equal(["seattle-temp|lstm|adam:0.005|clip=none has no finished 'none' run with a final val_mae, so its runs have no target and are not timed."], report.ReachNotes);
        Assert.Contains("Note: seattle-temp|lstm|adam:0.005|clip=none has no finished 'none' run", report.ToMarkdown(), StringComparison.Ordinal);
    }
}
