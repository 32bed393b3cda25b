using System.Globalization;
using NoiseLab.Statistics;

namespace NoiseLab.Experiments;

/// <summary>Which generalization gap a figure is: both are positive when a model fits its training data better than unseen data.</summary>
public enum GapMeasure
{
    /// <summary>The last epoch's validation loss minus its training loss.</summary>
    Loss,

    /// <summary>The last epoch's training accuracy minus its validation accuracy.</summary>
    Accuracy,
}

/// <summary>What a plan's gap against the no-noise baseline's concludes (the rule of <see cref="Comparison.Judge"/>, read for a gap).</summary>
public enum GapVerdict
{
    /// <summary>The plan's mean gap is smaller, the interval lies below 0 and the corrected p-value is below α: the plan regularizes.</summary>
    Narrower,

    /// <summary>The plan's mean gap is larger, the interval lies above 0 and the corrected p-value is below α.</summary>
    Wider,

    /// <summary>Anything else.</summary>
    NoDetectableDifference,
}

/// <summary>
/// A mean over <paramref name="Runs"/> runs and its 95 % percentile bootstrap interval (<see cref="Comparison.BootstrapMean"/>,
/// 10,000 resamples, seed 0); <paramref name="Low"/> and <paramref name="High"/> are NaN for a single run, which has no spread to resample.
/// </summary>
public sealed record MeanInterval(int Runs, double Mean, double Low, double High)
{
    /// <summary>The mean and interval of <paramref name="values"/>, or null when there are none.</summary>
    public static MeanInterval? Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
            return null;
        if (values.Count == 1)
            return new MeanInterval(1, values[0], double.NaN, double.NaN);
        var (mean, low, high) = Comparison.BootstrapMean(values);
        return new MeanInterval(values.Count, mean, low, high);
    }
}

/// <summary>
/// The generalization gaps of one configuration × noise plan over its finished runs: <paramref name="LossGap"/> (val − train loss)
/// and <paramref name="AccuracyGap"/> (train − val accuracy) at each run's last epoch; null where no run has the figure.
/// </summary>
public sealed record GapSummary(string Configuration, string Plan, MeanInterval? LossGap, MeanInterval? AccuracyGap);

/// <summary>
/// A plan's mean gap minus that of the no-noise baseline of the same configuration, as independent samples: the difference,
/// its 95 % bootstrap interval, Welch's p, its Holm correction across the sweep's comparisons of the same <paramref name="Measure"/>,
/// and the verdict; <paramref name="Seeds"/> is the smaller group's count of runs. A negative difference is a narrower gap.
/// </summary>
public sealed record GapComparison(string Configuration, string Plan, GapMeasure Measure, int Seeds, double Difference, double Low, double High, double P, double AdjustedP, GapVerdict Verdict);

/// <summary>
/// Computes a sweep's generalization gaps from the last-epoch figures of its finished runs: each plan's mean gap with its bootstrap
/// interval, and each plan against the baseline with the statistics the test-accuracy comparison uses (<see cref="Comparison.Independent"/>).
/// </summary>
internal static class GeneralizationGap
{
    /// <summary>
    /// The gaps of every plan in <paramref name="plans"/>' order, from each one's finished runs' figures (as <see cref="SweepReport"/> gathers
    /// them: train_loss, val_loss, train_accuracy, val_accuracy), the comparisons with <see cref="SweepReport.Baseline"/>, and notes
    /// saying which runs and comparisons are left out.
    /// </summary>
    public static (List<GapSummary> Gaps, List<GapComparison> Comparisons, List<string> Notes) Of(
        IReadOnlyList<PlanSummary> plans, Func<PlanSummary, IEnumerable<IReadOnlyDictionary<string, double>>> figuresOf, bool sweepHasBaseline)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(figuresOf);
        var notes = new List<string>();
        var gaps = plans.Select(plan =>
        {
            var figures = figuresOf(plan).ToList();
            // A run without a loss gap is left out of both measures, so that both count the same runs where accuracies exist.
            var measured = figures.Where(f => Of(f, GapMeasure.Loss) is not null).ToList();
            return (Plan: plan, Unmeasured: figures.Count - measured.Count, Loss: Values(measured, GapMeasure.Loss), Accuracy: Values(measured, GapMeasure.Accuracy));
        }).ToList();
        int withoutLoss = gaps.Sum(g => g.Unmeasured);
        if (withoutLoss > 0)
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{withoutLoss} finished run(s) store no last epoch with a finite training and validation loss, so they have no gap and are left out here."));
        int withoutAccuracy = gaps.Sum(g => g.Loss.Length - g.Accuracy.Length);
        if (withoutAccuracy > 0)
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{withoutAccuracy} run(s) store no training or validation accuracy at their last epoch: they have a loss gap and no accuracy gap."));
        if (!sweepHasBaseline && plans.Count > 0)
            notes.Add($"The sweep has no plan named '{SweepReport.Baseline}', so no plan's gap is compared with no noise; the table gives each plan's own gap.");

        var candidates = new List<(GapMeasure Measure, string Configuration, string Plan, double[] Values, double[] Baseline)>();
        for (int i = 0; i < gaps.Count; i++)
        {
            var (plan, _, loss, accuracy) = gaps[i];
            if (plan.Plan == SweepReport.Baseline || !sweepHasBaseline)
                continue;
            var baseline = gaps.FirstOrDefault(g => g.Plan.Configuration == plan.Configuration && g.Plan.Plan == SweepReport.Baseline);
            double[] baselineLoss = baseline.Loss ?? [], baselineAccuracy = baseline.Accuracy ?? [];
            if (loss.Length < 2 || baselineLoss.Length < 2)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"The loss gap of '{plan.Plan}' of {plan.Configuration} is not compared with '{SweepReport.Baseline}': a comparison needs at least two runs with a gap in each, and there are {loss.Length} and {baselineLoss.Length}."));
                continue;
            }
            candidates.Add((GapMeasure.Loss, plan.Configuration, plan.Plan, loss, baselineLoss));
            if (accuracy.Length >= 2 && baselineAccuracy.Length >= 2)
                candidates.Add((GapMeasure.Accuracy, plan.Configuration, plan.Plan, accuracy, baselineAccuracy));
            else
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"The accuracy gap of '{plan.Plan}' of {plan.Configuration} is not compared with '{SweepReport.Baseline}': there are {accuracy.Length} and {baselineAccuracy.Length} runs with both accuracies."));
        }
        // Holm corrects within each measure: the loss gaps are one family and the accuracy gaps another.
        IndependentComparison[] tests = Comparison.IndependentByFamily([.. candidates.Select(c => (c.Measure, (IReadOnlyList<double>)c.Values, (IReadOnlyList<double>)c.Baseline))]);
        var comparisons = candidates.Select((c, k) => new GapComparison(c.Configuration, c.Plan, c.Measure, Math.Min(c.Values.Length, c.Baseline.Length),
            tests[k].Difference, tests[k].Low, tests[k].High, tests[k].P, tests[k].AdjustedP, VerdictOf(tests[k].Verdict))).ToList();
        return ([.. gaps.Select(g => new GapSummary(g.Plan.Configuration, g.Plan.Plan, MeanInterval.Of(g.Loss), MeanInterval.Of(g.Accuracy)))], comparisons, notes);
    }

    /// <summary>One run's gap from its last-epoch figures, or null where a figure is missing or not finite.</summary>
    public static double? Of(IReadOnlyDictionary<string, double> figures, GapMeasure measure)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var (above, below) = measure == GapMeasure.Loss ? ("val_loss", "train_loss") : ("train_accuracy", "val_accuracy");
        return figures.TryGetValue(above, out double high) && figures.TryGetValue(below, out double low) && double.IsFinite(high) && double.IsFinite(low)
            ? high - low
            : null;
    }

    private static double[] Values(IEnumerable<IReadOnlyDictionary<string, double>> figures, GapMeasure measure) =>
        [.. figures.Select(f => Of(f, measure)).OfType<double>()];

    // Comparison.Judge speaks of a higher or lower mean; for a gap, lower is narrower.
    private static GapVerdict VerdictOf(Verdict verdict) => verdict switch
    {
        Verdict.Hurts => GapVerdict.Narrower,
        Verdict.Helps => GapVerdict.Wider,
        _ => GapVerdict.NoDetectableDifference,
    };
}
