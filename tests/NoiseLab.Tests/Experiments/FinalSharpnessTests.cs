using System.Globalization;
using Microsoft.Data.Sqlite;
using NoiseLab.Experiments;
using NoiseLab.Statistics;
using NoiseLab.Tests.Support;
using NoiseLab.Training;

namespace NoiseLab.Tests.Experiments;

/// <summary>
/// The report's sharpness-at-the-end section from a store filled by hand: each finished run's last epoch holds a known top Hessian
/// eigenvalue and trace; one run measured only at epoch 1 and one diverged run must be left out; a configuration without
/// sharpness gets no row.
/// </summary>
public sealed class FinalSharpnessTests : IDisposable
{
    private const string Measured = "fashion-mnist|mlp:8|sgd:0.1|clip=none";
    private const string Spec = """
        name: sharp
        limit_train: 300
        epochs: 2
        seeds: [0, 1, 2, 3]
        noise:
          none: []
          before: ["perturb:gaussian:sigma=0.003,when=before,scope=all"]
        groups:
          - models: ["mlp:8"]
            sharpness: 1
            optimizers: [{optimizer: sgd, lr: 0.1}]
          - models: ["mlp:4"]
            optimizers: [{optimizer: sgd, lr: 0.1}]
        """;

    // (top eigenvalue, trace) at the last epoch by plan and seed, for mlp:8; seed 3 of none measured only at epoch 1, seed 3 of before diverged.
    private static readonly Dictionary<(string Plan, int Seed), (double Eigenvalue, double Trace)> s_final = new()
    {
        [("none", 0)] = (10, 100),
        [("none", 1)] = (12, 110),
        [("none", 2)] = (14, 120),
        [("before", 0)] = (5, 90),
        [("before", 1)] = (6, 100),
        [("before", 2)] = (7, 80),
    };

    private readonly TemporaryFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private static double[] Values(string plan, SharpnessMeasure measure) =>
        [.. Enumerable.Range(0, 3).Select(seed => measure == SharpnessMeasure.TopEigenvalue ? s_final[(plan, seed)].Eigenvalue : s_final[(plan, seed)].Trace)];

    private static EpochRecord Epoch(int epoch, (double Eigenvalue, double Trace)? sharpness) => new()
    {
        Epoch = epoch, TrainLoss = 0.5, ValLoss = 0.6, TrainAccuracy = 0.8, ValAccuracy = 0.75, GradNorm = 1, WeightUpdateNorm = 0.1, LearningRate = 0.1,
        Diagnostics = sharpness is { } measured
            ? new Dictionary<string, double> { ["sharpness.top_eigenvalue"] = measured.Eigenvalue, ["sharpness.trace"] = measured.Trace }
            : new Dictionary<string, double>(),
    };

    private SweepReport Report()
    {
        RunStore store = RunStore.Open(_folder.File("sharp.db"));
        StoredRuns.Fill(store, Spec, (_, id) =>
        {
            string[] parts = id.Split('|');
            (string plan, int seed) = (parts[4], int.Parse(parts[5]["seed=".Length..], CultureInfo.InvariantCulture));
            if (parts[1] == "mlp:4")
                StoredRuns.Finish(store, "sharp", id, [Epoch(1, null), Epoch(2, null)], StoredRuns.Result(0.5, 0.8));
            else if (s_final.TryGetValue((plan, seed), out var last))
                StoredRuns.Finish(store, "sharp", id, [Epoch(1, (99, 999)), Epoch(2, last)], StoredRuns.Result(0.5, 0.8));
            else if (plan == "none")
                StoredRuns.Finish(store, "sharp", id, [Epoch(1, (1, 1)), Epoch(2, null)], StoredRuns.Result(0.5, 0.8));   // not measured at the end
            else
            {
                store.RecordEpoch("sharp", id, StoredRuns.Worker, Epoch(1, (1, 1)));
                store.Stop("sharp", id, StoredRuns.Worker, RunStatus.Diverged, "Training diverged at epoch 2.");
            }
            return true;
        });
        using (store)
            return SweepReport.Build(store, "sharp", successAt: 0.5);
    }

    [Fact]
    public void Each_plans_sharpness_is_the_mean_of_its_finished_runs_last_epoch_with_the_bootstrap_interval()
    {
        SweepReport report = Report();

        // Only mlp:8 measured sharpness; its epoch-1 values (99, 999) are not the end.
        Assert.Equal([(Measured, "none"), (Measured, "before")], report.Sharpness.Select(s => (s.Configuration, s.Plan)));
        SharpnessSummary none = report.Sharpness[0], before = report.Sharpness[1];
        var (mean, low, high) = Comparison.BootstrapMean(Values("none", SharpnessMeasure.TopEigenvalue));
        Assert.Equal(new MeanInterval(3, 12, low, high), none.TopEigenvalue);
        Assert.Equal(12, mean, 12);
        // Three values: the 2.5 % and 97.5 % resampled means are the least and the greatest.
        Assert.Equal((10.0, 14.0), (none.TopEigenvalue!.Low, none.TopEigenvalue.High));
        Assert.Equal((3, 110.0), (none.Trace!.Runs, none.Trace.Mean));
        Assert.Equal((3, 6.0, 3, 90.0), (before.TopEigenvalue!.Runs, before.TopEigenvalue.Mean, before.Trace!.Runs, before.Trace.Mean));
        Assert.Equal(["1 finished run(s) of these configurations have no finite top eigenvalue or trace at their last epoch, so they are left out of that measure."], report.SharpnessNotes);
    }

    [Fact]
    public void A_plans_sharpness_is_compared_with_no_noise_per_measure_and_a_lower_mean_is_flatter()
    {
        SweepReport report = Report();

        Assert.Equal([SharpnessMeasure.TopEigenvalue, SharpnessMeasure.Trace], report.SharpnessComparisons.Select(c => c.Measure));
        SharpnessComparison eigenvalue = report.SharpnessComparisons[0], trace = report.SharpnessComparisons[1];
        Assert.Equal((Measured, "before", 3, -6.0), (eigenvalue.Configuration, eigenvalue.Plan, eigenvalue.Seeds, eigenvalue.Difference));
        Assert.Equal(Comparison.BootstrapDifference(Values("before", SharpnessMeasure.TopEigenvalue), Values("none", SharpnessMeasure.TopEigenvalue)),
            (eigenvalue.Difference, eigenvalue.Low, eigenvalue.High));
        // Welch by hand: t = −6 / √(1/3 + 4/3) on 50/17 degrees of freedom; Holm changes nothing in a family of one.
        double p = WelchTTest.TwoSidedP(-6 / Math.Sqrt(5.0 / 3), 50.0 / 17);
        Assert.Equal(p, eigenvalue.P, 12);
        Assert.Equal(eigenvalue.P, eigenvalue.AdjustedP);
        Assert.True(eigenvalue.High <= -3 && p < 0.05, $"interval [{eigenvalue.Low}, {eigenvalue.High}], p {p}");
        Assert.Equal(ShiftVerdict.Lower, eigenvalue.Verdict);
        Assert.Equal(-20, trace.Difference, 12);
        Assert.Equal(WelchTTest.Test(Values("before", SharpnessMeasure.Trace), Values("none", SharpnessMeasure.Trace)).P, trace.P);
        Assert.True(trace.P > 0.05, $"p {trace.P}");
        Assert.Equal(ShiftVerdict.NoDetectableDifference, trace.Verdict);
    }

    [Fact]
    public void The_markdown_gives_each_plans_row_and_the_verdicts_flatter_and_sharper()
    {
        SweepReport report = Report();
        string markdown = report.ToMarkdown().Replace("\r\n", "\n", StringComparison.Ordinal);

        Assert.Contains("## Sharpness at the end", markdown, StringComparison.Ordinal);
        Assert.Contains("\n| fashion-mnist\\|mlp:8\\|sgd:0.1\\|clip=none | none | 3 | 12.0000 | [+10.0000, +14.0000] | 110.0000 | [+100.0000, +120.0000] |\n", markdown, StringComparison.Ordinal);
        SharpnessComparison eigenvalue = report.SharpnessComparisons[0];
        Assert.Contains(string.Create(CultureInfo.InvariantCulture,
            $"\n| fashion-mnist\\|mlp:8\\|sgd:0.1\\|clip=none | before | top eigenvalue | 3 | -6.0000 | [{SweepReport.Signed(eigenvalue.Low)}, {SweepReport.Signed(eigenvalue.High)}] | {eigenvalue.P:F4} | {eigenvalue.AdjustedP:F4} | flatter |\n"), markdown, StringComparison.Ordinal);
        Assert.Contains("| fashion-mnist\\|mlp:8\\|sgd:0.1\\|clip=none | before | trace | 3 | -20.0000 |", markdown, StringComparison.Ordinal);
        Assert.Contains("Holm p corrects it for the 1 top-eigenvalue comparison(s) of this sweep, and separately for its 1 trace comparison(s)", markdown, StringComparison.Ordinal);
        string section = markdown[markdown.IndexOf("## Sharpness at the end", StringComparison.Ordinal)..];
        Assert.DoesNotContain("mlp:4", section, StringComparison.Ordinal);   // measured nothing: no row
        Assert.True(markdown.IndexOf("## Sharpness at the end", StringComparison.Ordinal) > markdown.IndexOf("## Time to reach", StringComparison.Ordinal));
    }
}
