using System.Globalization;
using Microsoft.Data.Sqlite;
using NoiseLab.Experiments;
using NoiseLab.Statistics;
using NoiseLab.Tests.Support;
using NoiseLab.Training;

namespace NoiseLab.Tests.Experiments;

/// <summary>
/// The report's generalization-gap section from a store filled by hand: each run's last epoch holds known losses and
/// accuracies, one run of each plan has no gap (finished without epochs, or diverged) and must be left out.
/// </summary>
public sealed class GeneralizationGapTests : IDisposable
{
    private const string Configuration = "fashion-mnist|mlp:8|sgd:0.1|clip=none";
    private const string Spec = """
        name: gaps
        limit_train: 300
        epochs: 2
        seeds: [0, 1, 2, 3]
        models: ["mlp:8"]
        optimizers: [{optimizer: sgd, lr: 0.1}]
        noise:
          none: []
          noisy: ["gradient:gaussian:sigma=0.01"]
        """;

    // Last epoch (train loss, val loss, train accuracy, val accuracy) by plan and seed; seed 3 has none.
    private static readonly Dictionary<(string Plan, int Seed), (double TrainLoss, double ValLoss, double TrainAccuracy, double ValAccuracy)> s_last = new()
    {
        [("none", 0)] = (0.30, 0.55, 0.90, 0.83),
        [("none", 1)] = (0.28, 0.56, 0.91, 0.82),
        [("none", 2)] = (0.31, 0.53, 0.89, 0.84),
        [("noisy", 0)] = (0.71, 0.72, 0.75, 0.76),
        [("noisy", 1)] = (0.70, 0.73, 0.74, 0.76),
        [("noisy", 2)] = (0.72, 0.72, 0.76, 0.75),
    };

    private readonly TemporaryFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private static double[] LossGaps(string plan) => [.. Enumerable.Range(0, 3).Select(seed => s_last[(plan, seed)].ValLoss - s_last[(plan, seed)].TrainLoss)];

    private static double[] AccuracyGaps(string plan) => [.. Enumerable.Range(0, 3).Select(seed => s_last[(plan, seed)].TrainAccuracy - s_last[(plan, seed)].ValAccuracy)];

    private SweepReport Report()
    {
        RunStore store = RunStore.Open(_folder.File("store.db"));
        StoredRuns.Fill(store, Spec, (_, id) =>
        {
            string[] parts = id.Split('|');
            string plan = parts[4];
            int seed = int.Parse(parts[5]["seed=".Length..], CultureInfo.InvariantCulture);
            if (s_last.TryGetValue((plan, seed), out var last))
            {
                EpochRecord first = Epoch(1, 2.0, 2.5, 0.1, 0.1);
                StoredRuns.Finish(store, "gaps", id, [first, Epoch(2, last.TrainLoss, last.ValLoss, last.TrainAccuracy, last.ValAccuracy)], StoredRuns.Result(0.6, 0.8 + seed / 100.0));
            }
            else if (plan == "none")
                StoredRuns.Finish(store, "gaps", id, [], StoredRuns.Result(0.6, 0.8));   // finished with a test accuracy but no epoch stored
            else
                store.Stop("gaps", id, StoredRuns.Worker, RunStatus.Diverged, "Training diverged at epoch 1.");
            return true;
        });
        using (store)
            return SweepReport.Build(store, "gaps", successAt: 0.5);
    }

    private static EpochRecord Epoch(int epoch, double trainLoss, double valLoss, double trainAccuracy, double valAccuracy) => new()
    {
        Epoch = epoch, TrainLoss = trainLoss, ValLoss = valLoss, TrainAccuracy = trainAccuracy, ValAccuracy = valAccuracy,
        GradNorm = 1, WeightUpdateNorm = 0.1, LearningRate = 0.1,
    };

    [Fact]
    public void Each_plans_gap_is_the_mean_of_its_runs_last_epoch_val_minus_train_loss_with_the_bootstrap_interval()
    {
        SweepReport report = Report();

        Assert.Equal(["none", "noisy"], report.Gaps.Select(g => g.Plan));
        GapSummary none = report.Gaps[0], noisy = report.Gaps[1];
        // By hand: (0.25 + 0.28 + 0.22) / 3 and (0.01 + 0.03 + 0.00) / 3; the accuracy gaps (0.07 + 0.09 + 0.05) / 3 and (−0.01 − 0.02 + 0.01) / 3.
        Assert.Equal(0.25, none.LossGap!.Mean, 12);
        Assert.Equal(0.04 / 3, noisy.LossGap!.Mean, 12);
        Assert.Equal(0.07, none.AccuracyGap!.Mean, 12);
        Assert.Equal(-0.02 / 3, noisy.AccuracyGap!.Mean, 12);
        // The run without epochs (none, seed 3) and the diverged one (noisy, seed 3) are left out.
        Assert.Equal((3, 3, 3, 3), (none.LossGap.Runs, none.AccuracyGap.Runs, noisy.LossGap.Runs, noisy.AccuracyGap.Runs));
        Assert.Equal(new MeanInterval(3, Comparison.BootstrapMean(LossGaps("none")).Mean, Comparison.BootstrapMean(LossGaps("none")).Low, Comparison.BootstrapMean(LossGaps("none")).High), none.LossGap);
        var (_, accuracyLow, accuracyHigh) = Comparison.BootstrapMean(AccuracyGaps("noisy"));
        Assert.Equal((accuracyLow, accuracyHigh), (noisy.AccuracyGap.Low, noisy.AccuracyGap.High));
        // Three values: the 2.5 % and 97.5 % resampled means are the least and the greatest gap (each all three draws with probability 1/27).
        Assert.Equal(LossGaps("none").Min(), none.LossGap.Low, 12);
        Assert.Equal(LossGaps("none").Max(), none.LossGap.High, 12);
        Assert.Equal(["1 finished run(s) store no last epoch with a finite training and validation loss, so they have no gap and are left out here."], report.GapNotes);
    }

    [Fact]
    public void A_plans_gap_is_compared_with_no_noise_by_the_bootstrap_and_welch_test_of_the_accuracy_comparison()
    {
        SweepReport report = Report();

        Assert.Equal([GapMeasure.Loss, GapMeasure.Accuracy], report.GapComparisons.Select(c => c.Measure));
        GapComparison loss = report.GapComparisons[0], accuracy = report.GapComparisons[1];
        Assert.Equal((Configuration, "noisy", 3), (loss.Configuration, loss.Plan, loss.Seeds));
        Assert.Equal(0.04 / 3 - 0.25, loss.Difference, 12);
        var (difference, low, high) = Comparison.BootstrapDifference(LossGaps("noisy"), LossGaps("none"));
        Assert.Equal((difference, low, high), (loss.Difference, loss.Low, loss.High));
        double p = WelchTTest.Test(LossGaps("noisy"), LossGaps("none")).P;
        Assert.Equal(p, loss.P);
        Assert.Equal(p, loss.AdjustedP);   // the only loss-gap comparison: Holm changes nothing
        Assert.True(high < 0 && p < 0.05, $"interval [{low}, {high}], p {p}");
        Assert.Equal(GapVerdict.Narrower, loss.Verdict);
        Assert.Equal(Comparison.BootstrapDifference(AccuracyGaps("noisy"), AccuracyGaps("none")), (accuracy.Difference, accuracy.Low, accuracy.High));
        Assert.Equal(WelchTTest.Test(AccuracyGaps("noisy"), AccuracyGaps("none")).P, accuracy.P);
    }

    [Fact]
    public void The_markdown_states_the_gaps_direction_and_gives_each_plans_row()
    {
        SweepReport report = Report();
        string markdown = report.ToMarkdown();

        var (_, lossLow, lossHigh) = Comparison.BootstrapMean(LossGaps("none"));
        var (_, accuracyLow, accuracyHigh) = Comparison.BootstrapMean(AccuracyGaps("none"));
        string row = string.Create(CultureInfo.InvariantCulture,
            $"| fashion-mnist\\|mlp:8\\|sgd:0.1\\|clip=none | none | 3 | +0.2500 | [+{lossLow:0.0000}, +{lossHigh:0.0000}] | +0.0700 | [+{accuracyLow:0.0000}, +{accuracyHigh:0.0000}] |");
        Assert.Contains("\n" + row + "\n", markdown.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        GapComparison loss = report.GapComparisons[0];
        Assert.Contains(string.Create(CultureInfo.InvariantCulture,
            $"| fashion-mnist\\|mlp:8\\|sgd:0.1\\|clip=none | noisy | loss | 3 | -0.2367 | [{SweepReport.Signed(loss.Low)}, {SweepReport.Signed(loss.High)}] | {loss.P:F4} | {loss.AdjustedP:F4} | narrower: regularizes |"), markdown, StringComparison.Ordinal);
        Assert.Contains("A run's loss gap is its last epoch's validation loss minus its training loss", markdown, StringComparison.Ordinal);
        Assert.Contains("A smaller gap than that of `none` is what \"regularizes\" means here.", markdown, StringComparison.Ordinal);
        Assert.Contains("diverged and pruned runs are left out, as in the tables above, and so are runs without those losses", markdown, StringComparison.Ordinal);
        Assert.Contains("a negative Δ is a narrower gap", markdown, StringComparison.Ordinal);
        Assert.Contains("Note: 1 finished run(s) store no last epoch", markdown, StringComparison.Ordinal);
        Assert.True(markdown.IndexOf("## Generalization gap", StringComparison.Ordinal) > markdown.IndexOf("## Noise plans against no noise", StringComparison.Ordinal));
    }

    [Fact]
    public void A_plan_with_one_run_has_a_mean_gap_without_an_interval_and_is_not_compared()
    {
        const string spec = "name: one\nlimit_train: 300\nepochs: 1\nseeds: [0]\nmodels: [\"mlp:8\"]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise:\n  none: []\n  noisy: [\"gradient:gaussian:sigma=0.01\"]\n";
        using RunStore store = RunStore.Open(_folder.File("one.db"));
        StoredRuns.Fill(store, spec, (_, id) =>
        {
            double valLoss = id.Split('|')[4] == "none" ? 0.75 : 1.0;
            StoredRuns.Finish(store, "one", id, [Epoch(1, 0.5, valLoss, 0.8, 0.7)], StoredRuns.Result(0.6, 0.8));
            return true;
        });

        SweepReport report = SweepReport.Build(store, "one", successAt: 0.5);

        Assert.Equal(new MeanInterval(1, 0.25, double.NaN, double.NaN), report.Gaps[0].LossGap);
        Assert.Empty(report.GapComparisons);
        Assert.Contains($"The loss gap of 'noisy' of {Configuration} is not compared with 'none': a comparison needs at least two runs with a gap in each, and there are 1 and 1.", report.GapNotes);
        Assert.Contains("| fashion-mnist\\|mlp:8\\|sgd:0.1\\|clip=none | none | 1 | +0.2500 | – | +0.1000 | – |", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.DoesNotContain("Δ gap", report.ToMarkdown(), StringComparison.Ordinal);
    }
}
