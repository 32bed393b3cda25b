using System.Globalization;
using NoiseLab.Statistics;
using NoiseLab.Training;

namespace NoiseLab.Experiments;

/// <summary>
/// The validation figure a configuration's runs are timed to: <paramref name="Value"/> is the median, over the
/// <paramref name="BaselineRuns"/> finished runs of the no-noise plan, of <paramref name="Figure"/> at their last epoch.
/// <paramref name="Figure"/> is named as <see cref="EpochMonitor"/> names it: val_accuracy where the runs record an accuracy,
/// else val_mae (forecasting), else the task's first validation figure, else val_loss.
/// </summary>
public sealed record ReachTarget(string Configuration, string Figure, double Value, int BaselineRuns)
{
    /// <summary>Whether a higher value of <see cref="Figure"/> is better (an accuracy or F1), so that reaching the target is rising to it.</summary>
    public bool HigherIsBetter => EpochMonitor.DefaultMode(Figure) == MonitorMode.Max;

    /// <summary>The first epoch of <paramref name="history"/> whose figure is finite and at least as good as <see cref="Value"/>; null when none is.</summary>
    public int? ReachedAt(IEnumerable<EpochRecord> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var monitor = new EpochMonitor(Figure);
        foreach (EpochRecord record in history.OrderBy(r => r.Epoch))
        {
            if (monitor.TryRead(record) is double value && double.IsFinite(value) && (HigherIsBetter ? value >= Value : value <= Value))
                return record.Epoch;
        }
        return null;
    }
}

/// <summary>
/// How soon the runs of one configuration × noise plan reach their configuration's <see cref="ReachTarget"/>.
/// </summary>
/// <param name="Configuration">Data, model, optimizer and clipping (<see cref="SweepReport.ConfigurationOf"/>).</param>
/// <param name="Plan">The noise plan's name.</param>
/// <param name="Reached">How many of the runs reached the target.</param>
/// <param name="Runs">The runs counted: the plan's finished, diverged and pruned runs with a history to read.</param>
/// <param name="MedianEpoch">The median of the epochs at which the runs that reached the target did; null when none did.</param>
/// <param name="FirstEpoch">The earliest of those epochs; null when none reached it.</param>
/// <param name="LastEpoch">The latest of those epochs; null when none reached it.</param>
/// <param name="MeanEpoch">The mean epoch over all <paramref name="Runs"/> runs, a run that never reached the target counted as its planned epochs + 1.</param>
public sealed record ReachSummary(string Configuration, string Plan, int Reached, int Runs, double? MedianEpoch, int? FirstEpoch, int? LastEpoch, double MeanEpoch);

/// <summary>
/// A plan's mean epoch to the target minus the no-noise plan's, as independent samples (never-reaching runs censored at their
/// planned epochs + 1): the difference, its 95 % bootstrap interval, Welch's p, its Holm correction across the sweep's
/// time-to-target comparisons and the verdict (<see cref="ShiftVerdict.Lower"/> is faster); <paramref name="Seeds"/> is the smaller group's count of runs.
/// </summary>
public sealed record ReachComparison(string Configuration, string Plan, int Seeds, double Difference, double Low, double High, double P, double AdjustedP, ShiftVerdict Verdict);

/// <summary>
/// Times every ended run of a sweep to its configuration's target (<see cref="ReachTarget"/>), and compares each plan's epochs
/// with the baseline's by the statistics of the test-accuracy comparison (<see cref="Comparison.Independent"/>).
/// </summary>
internal static class TimeToTarget
{
    /// <summary>
    /// The targets by configuration, each plan's summary (baseline first, then by name), the comparisons with
    /// <see cref="SweepReport.Baseline"/>, and notes saying which configurations, runs and comparisons are left out.
    /// </summary>
    public static (List<ReachTarget> Targets, List<ReachSummary> Summaries, List<ReachComparison> Comparisons, List<string> Notes) Of(IReadOnlyList<EndedRun> runs, bool sweepHasBaseline)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var targets = new List<ReachTarget>();
        var summaries = new List<ReachSummary>();
        var notes = new List<string>();
        if (!sweepHasBaseline)
        {
            if (runs.Count > 0)
                notes.Add($"The sweep has no plan named '{SweepReport.Baseline}', whose final validation figure is the target, so no run is timed.");
            return (targets, summaries, [], notes);
        }
        // A finished run without stored epochs has no history to time; one that diverged or was pruned in its first epoch never reached the target.
        int unrecorded = runs.Count(r => r.Finished && r.History.Count == 0);
        if (unrecorded > 0)
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{unrecorded} finished run(s) store no epoch, so they are not timed."));
        var candidates = new List<(string Configuration, string Plan, double[] Epochs, double[] Baseline)>();
        foreach (var configuration in runs.Where(r => !(r.Finished && r.History.Count == 0)).GroupBy(r => r.Configuration).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            string figure = FigureOf(configuration);
            var monitor = new EpochMonitor(figure);
            double[] finals = [.. configuration.Where(r => r.Plan == SweepReport.Baseline && r.Finished)
                .Select(r => monitor.TryRead(r.History.MaxBy(e => e.Epoch)!)).OfType<double>().Where(double.IsFinite)];
            if (finals.Length == 0)
            {
                notes.Add($"{configuration.Key} has no finished '{SweepReport.Baseline}' run with a final {figure}, so its runs have no target and are not timed.");
                continue;
            }
            var target = new ReachTarget(configuration.Key, figure, Median(finals), finals.Length);
            targets.Add(target);
            double[]? baseline = null;
            foreach (var plan in configuration.GroupBy(r => r.Plan).OrderBy(g => g.Key == SweepReport.Baseline ? "" : g.Key, StringComparer.Ordinal))
            {
                int?[] reached = [.. plan.Select(r => target.ReachedAt(r.History))];
                double[] epochs = [.. plan.Zip(reached, (run, epoch) => (double)(epoch ?? run.PlannedEpochs + 1))];
                int[] reaching = [.. reached.OfType<int>().Order()];
                summaries.Add(new ReachSummary(configuration.Key, plan.Key, reaching.Length, epochs.Length,
                    reaching.Length > 0 ? Median([.. reaching.Select(e => (double)e)]) : null,
                    reaching.Length > 0 ? reaching[0] : null, reaching.Length > 0 ? reaching[^1] : null, epochs.Average()));
                if (plan.Key == SweepReport.Baseline)
                {
                    baseline = epochs;
                    continue;
                }
                int baselineRuns = baseline?.Length ?? 0;
                if (baseline is null || baselineRuns < 2 || epochs.Length < 2)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture,
                        $"The time to target of '{plan.Key}' of {configuration.Key} is not compared with '{SweepReport.Baseline}': a comparison needs at least two timed runs of each, and there are {epochs.Length} and {baselineRuns}."));
                    continue;
                }
                candidates.Add((configuration.Key, plan.Key, epochs, baseline));
            }
        }
        IndependentComparison[] tests = Comparison.Independent([.. candidates.Select(c => ((IReadOnlyList<double>)c.Epochs, (IReadOnlyList<double>)c.Baseline))]);
        List<ReachComparison> comparisons = [.. candidates.Select((c, i) => new ReachComparison(c.Configuration, c.Plan, Math.Min(c.Epochs.Length, c.Baseline.Length),
            tests[i].Difference, tests[i].Low, tests[i].High, tests[i].P, tests[i].AdjustedP, ShiftVerdicts.Of(tests[i].Verdict)))];
        return (targets, summaries, comparisons, notes);
    }

    /// <summary>
    /// The validation figure the runs of a configuration are timed on: accuracy where any epoch records one (as the learning curves
    /// show it), else MAE where the task reports it (forecasting: seed 003 reads its LSTM's convergence from the validation MAE),
    /// else the task's first validation figure, else the validation loss.
    /// </summary>
    public static string FigureOf(IEnumerable<EndedRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        EpochRecord[] records = [.. runs.SelectMany(r => r.History)];
        if (records.Any(r => r.ValAccuracy is not null))
            return "val_accuracy";
        if (records.Any(r => r.ValMetrics.ContainsKey("mae")))
            return "val_mae";
        return records.SelectMany(r => r.ValMetrics.Keys).FirstOrDefault() is string metric ? "val_" + metric : "val_loss";
    }

    /// <summary>The middle value of <paramref name="values"/>, or the mean of the middle two for an even count.</summary>
    public static double Median(IReadOnlyCollection<double> values)
    {
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
