using System.Globalization;
using System.Net;
using System.Text;
using NoiseLab.Statistics;

namespace NoiseLab.Experiments;

/// <summary>
/// Writes a <see cref="SweepReport"/> as Markdown: provenance, the runs table with a per-run table behind each row,
/// the comparisons with the baseline (independent and paired), the generalization gaps, the time to reach no noise's result and the
/// sharpness at the end, each table with a short explanation of what its
/// numbers mean and the rule behind its verdicts. This is the report's only renderer: the HTML page is this
/// Markdown rendered (by <c>noiselab report</c>), so the two cannot drift apart.
/// </summary>
public static class SweepReportMarkdown
{
    /// <summary>The level the verdicts use.</summary>
    public const double Alpha = 0.05;

    /// <summary>
    /// The report of one sweep. <paramref name="provenance"/> adds the "made with" line and the spec;
    /// <paramref name="forestPlots"/> maps a configuration to its forest plot's path, shown after the comparisons.
    /// </summary>
    public static string Write(SweepReport report, ReportProvenance? provenance, IReadOnlyDictionary<string, string>? forestPlots)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Sweep {report.Sweep}").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Noise generator: `{report.NoiseGenerator}`.").AppendLine();
        if (provenance is not null)
            WriteProvenance(text, provenance);
        WriteRuns(text, report);
        WriteComparisons(text, report, forestPlots);
        WriteGaps(text, report);
        WriteReach(text, report);
        WriteSharpness(text, report);
        return text.ToString();
    }

    private static void WriteProvenance(StringBuilder text, ReportProvenance provenance)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"Made with NoiseLab {provenance.Version} on {provenance.Created.UtcDateTime:yyyy-MM-dd HH:mm} UTC, on {provenance.Machine}.").AppendLine();
        text.AppendLine("<details><summary>The sweep's spec</summary>").AppendLine();
        string fence = provenance.Spec.Contains("```", StringComparison.Ordinal) ? "~~~~" : "```";
        text.AppendLine(fence + "yaml").AppendLine(provenance.Spec.TrimEnd()).AppendLine(fence).AppendLine();
        text.AppendLine("</details>").AppendLine();
    }

    private static void WriteRuns(StringBuilder text, SweepReport report)
    {
        text.AppendLine("## Runs per configuration and noise plan").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Each row gathers the runs of one configuration (data, model, optimizer and learning rate, clipping) under one noise plan, one run per seed. A figure is the mean ± the sample standard deviation (n − 1) over the finished runs: train and val figures are the last epoch's, test figures the final ones. Diverged and pruned runs are left out of the means and count as failures in the success rate, the share of runs whose test accuracy reaches {report.SuccessAt:F2}. The plan `none` is the baseline: no noise.")
            .AppendLine();
        TableHead(text, "configuration", "noise plan", "runs", "diverged", "pruned", "train accuracy", "val accuracy", "test accuracy", "train loss", "val loss", "test loss", "best test accuracy", "success rate");
        foreach (PlanSummary p in report.Plans)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Escape(p.Configuration)} | {p.Plan} | {p.TestAccuracy.Runs} | {p.TestAccuracy.Diverged} | {p.Pruned} | {string.Join(" | ", FigureCells(p))} | {Best(p)} | {p.TestAccuracy.SuccessRate:P0} (≥ {p.TestAccuracy.SuccessAt:F2}) |");
        }
        text.AppendLine();
        foreach (var group in report.Runs.GroupBy(r => (r.Configuration, r.Plan)))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"<details><summary>Each run of {WebUtility.HtmlEncode(group.Key.Configuration)} · {WebUtility.HtmlEncode(group.Key.Plan)}</summary>").AppendLine();
            TableHead(text, "seed", "status", "test accuracy", "test loss", "epochs");
            foreach (RunRow run in group)
                text.AppendLine(CultureInfo.InvariantCulture, $"| {run.Seed?.ToString(CultureInfo.InvariantCulture) ?? "–"} | {run.Status} | {Figure(run.TestAccuracy)} | {Figure(run.TestLoss)} | {run.Epochs} |");
            text.AppendLine().AppendLine("</details>").AppendLine();
        }
    }

    private static void WriteComparisons(StringBuilder text, SweepReport report, IReadOnlyDictionary<string, string>? forestPlots)
    {
        text.AppendLine("## Noise plans against no noise").AppendLine();
        // A comparison is never left out without a word: the report says why each missing one is missing.
        foreach (string note in report.Notes)
            text.AppendLine(CultureInfo.InvariantCulture, $"Note: {note}").AppendLine();
        if (report.Comparisons.Count == 0 && report.PairedComparisons.Count == 0)
            return;
        text.AppendLine("### As independent samples").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Δ is a plan's mean test accuracy minus the mean of the `none` plan of the same configuration, the two groups of runs taken as independent samples; seeds is the smaller group's count of finished runs. The interval is a 95 % percentile bootstrap (10,000 resamples of each group), Welch p is Welch's t-test, and Holm p corrects it for the {report.Comparisons.Count} comparison(s) of this sweep. The verdict is \"helps\" or \"hurts\" only when Holm p < α = {Alpha:F2} and the interval lies on that side of 0; otherwise \"no detectable difference\". The interval is not corrected for the number of comparisons and the Holm p is, so an interval can exclude 0 while the verdict says \"no detectable difference\".")
            .AppendLine();
        TableHead(text, "configuration", "noise plan", "seeds", "Δ test accuracy", "95 % bootstrap CI", "Welch p", "Holm p", "verdict");
        foreach (PlanComparison c in report.Comparisons)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Escape(c.Configuration)} | {c.Plan} | {c.Seeds} | {Tested(c.Difference, c.Low, c.High, c.P, c.AdjustedP, SweepReport.VerdictText(c.Verdict))} |");
        }
        text.AppendLine().AppendLine("### Paired by seed").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Plans share seeds: seed s starts every plan from the same initial weights and the same data order, so the difference plan_s − none_s removes what the seed alone does. Over the seeds both finished: the mean paired difference, its 95 % t interval (n − 1 degrees of freedom), and the exact two-sided sign-flip permutation p (every assignment of signs to the differences; {PairedTest.MonteCarloFlips:N0} random ones above {PairedTest.ExactUpTo} seeds), Holm-corrected, with the same verdict rule. With n seeds the sign-flip p cannot go below 2/2ⁿ (0.25 for 3 seeds, 0.0625 for 5), so fewer than 6 seeds cannot give a verdict at α = {Alpha:F2} by this test.")
            .AppendLine();
        TableHead(text, "configuration", "noise plan", "seeds", "mean paired Δ", "95 % t CI", "sign-flip p", "Holm p", "verdict");
        foreach (PairedComparison c in report.PairedComparisons)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Escape(c.Configuration)} | {c.Plan} | {c.Seeds} | {Tested(c.Difference, c.Low, c.High, c.P, c.AdjustedP, SweepReport.VerdictText(c.Verdict))} |");
        }
        text.AppendLine();
        WriteFewSeeds(text, report);
        if (forestPlots is { Count: > 0 })
        {
            text.AppendLine("### Forest plots").AppendLine();
            text.AppendLine("Each plan's Δ test accuracy against `none`, with its 95 % interval: circles for independent samples (bootstrap), squares for the pairs by seed (t interval). The dashed line is no difference.").AppendLine();
            foreach (var (configuration, path) in forestPlots)
                text.AppendLine(CultureInfo.InvariantCulture, $"![forest plot: {configuration}]({path})").AppendLine();
        }
    }

    private static void WriteGaps(StringBuilder text, SweepReport report)
    {
        if (report.Gaps.Count == 0)
            return;
        text.AppendLine("## Generalization gap").AppendLine();
        text.AppendLine(
            "A run's loss gap is its last epoch's validation loss minus its training loss, and its accuracy gap its last epoch's training accuracy minus its validation accuracy; both are positive when the model fits its training data better than data it was not trained on. A smaller gap than that of `none` is what \"regularizes\" means here. Each row gives the mean over the runs of a configuration × noise plan with its 95 % percentile bootstrap interval (10,000 resamples; – for a single run). Only finished runs that store a last epoch with finite training and validation losses count: diverged and pruned runs are left out, as in the tables above, and so are runs without those losses; the accuracy gap is over the runs that also store both accuracies. A narrower gap is not by itself better: it also comes from a higher training loss, so read it beside the losses and the test accuracy above.")
            .AppendLine();
        foreach (string note in report.GapNotes)
            text.AppendLine(CultureInfo.InvariantCulture, $"Note: {note}").AppendLine();
        TableHead(text, "configuration", "noise plan", "runs", "loss gap (val − train)", "95 % bootstrap CI", "accuracy gap (train − val)", "95 % bootstrap CI");
        foreach (GapSummary g in report.Gaps)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Escape(g.Configuration)} | {g.Plan} | {g.LossGap?.Runs ?? 0} | {GapMean(g.LossGap)} | {IntervalCell(g.LossGap)} | {GapMean(g.AccuracyGap)} | {IntervalCell(g.AccuracyGap)} |");
        }
        text.AppendLine();
        if (report.GapComparisons.Count == 0)
            return;
        int lossFamily = report.GapComparisons.Count(c => c.Measure == GapMeasure.Loss), accuracyFamily = report.GapComparisons.Count - lossFamily;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Δ gap is a plan's mean gap minus the mean gap of the `none` plan of the same configuration, the runs taken as independent samples as in the test-accuracy comparison: a negative Δ is a narrower gap. The interval is a 95 % percentile bootstrap (10,000 resamples of each group), Welch p is Welch's t-test, and Holm p corrects it for the {lossFamily} loss-gap comparison(s) of this sweep, and separately for its {accuracyFamily} accuracy-gap comparison(s). The verdict is \"narrower: regularizes\" when Holm p < α = {Alpha:F2} and the interval lies below 0, \"wider\" when Holm p < α and it lies above 0, and \"no detectable difference\" otherwise.")
            .AppendLine();
        TableHead(text, "configuration", "noise plan", "gap", "seeds", "Δ gap", "95 % bootstrap CI", "Welch p", "Holm p", "verdict");
        foreach (GapComparison c in report.GapComparisons)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Escape(c.Configuration)} | {c.Plan} | {(c.Measure == GapMeasure.Loss ? "loss" : "accuracy")} | {c.Seeds} | {Tested(c.Difference, c.Low, c.High, c.P, c.AdjustedP, GapVerdictText(c.Verdict))} |");
        }
        text.AppendLine();
    }

    private static void WriteReach(StringBuilder text, SweepReport report)
    {
        if (report.Reach.Count == 0 && report.ReachNotes.Count == 0)
            return;
        text.AppendLine("## Time to reach no noise's result").AppendLine();
        text.AppendLine(
            "Each configuration's target is the median, over the `none` plan's finished runs, of their last epoch's validation figure: the validation accuracy where the task records one (reached when it is at least the target), otherwise the validation MAE where the task reports one (forecasting), otherwise the task's first validation figure or the validation loss (reached when it is at most the target). A run reaches the target at the first epoch whose figure does. Every run that ended counts: finished runs, and diverged and pruned ones up to the epoch they stopped at. A run that never reaches the target is censored: it counts as its planned epochs + 1 in the mean and in Δ (which understates how late it is), and reached says how many did; the median and range are over the runs that reached it. By construction about half of `none`'s runs reach the target only at their last epoch.")
            .AppendLine();
        foreach (string note in report.ReachNotes)
            text.AppendLine(CultureInfo.InvariantCulture, $"Note: {note}").AppendLine();
        if (report.ReachTargets.Count == 0)
            return;
        TableHead(text, "configuration", "figure", "target", "baseline runs");
        foreach (ReachTarget t in report.ReachTargets)
            text.AppendLine(CultureInfo.InvariantCulture, $"| {Escape(t.Configuration)} | {t.Figure} ({(t.HigherIsBetter ? "≥" : "≤")}) | {t.Value:F4} | {t.BaselineRuns} |");
        text.AppendLine();
        TableHead(text, "configuration", "noise plan", "reached", "median epoch", "range", "mean epoch (censored)");
        foreach (ReachSummary r in report.Reach)
        {
            string range = r.FirstEpoch is int first ? string.Create(CultureInfo.InvariantCulture, $"{first}–{r.LastEpoch}") : "–";
            string median = r.MedianEpoch is double m ? m.ToString("0.#", CultureInfo.InvariantCulture) : "–";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {Escape(r.Configuration)} | {r.Plan} | {r.Reached}/{r.Runs} | {median} | {range} | {r.MeanEpoch:F2} |");
        }
        text.AppendLine();
        if (report.ReachComparisons.Count == 0)
            return;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Δ epochs is a plan's mean epoch to the target minus that of the `none` plan of the same configuration, censored runs included as above, the runs taken as independent samples: a negative Δ is faster. The interval is a 95 % percentile bootstrap (10,000 resamples of each group), Welch p is Welch's t-test, and Holm p corrects it for the {report.ReachComparisons.Count} time-to-target comparison(s) of this sweep. The verdict is \"faster\" when Holm p < α = {Alpha:F2} and the interval lies below 0, \"slower\" when Holm p < α and it lies above 0, and \"no detectable difference\" otherwise.")
            .AppendLine();
        TableHead(text, "configuration", "noise plan", "seeds", "Δ epochs", "95 % bootstrap CI", "Welch p", "Holm p", "verdict");
        foreach (ReachComparison c in report.ReachComparisons)
        {
            string verdict = c.Verdict switch { ShiftVerdict.Lower => "faster", ShiftVerdict.Higher => "slower", _ => "no detectable difference" };
            text.AppendLine(CultureInfo.InvariantCulture, $"| {Escape(c.Configuration)} | {c.Plan} | {c.Seeds} | {Tested(c.Difference, c.Low, c.High, c.P, c.AdjustedP, verdict)} |");
        }
        text.AppendLine();
    }

    private static void WriteSharpness(StringBuilder text, SweepReport report)
    {
        if (report.Sharpness.Count == 0)
            return;
        text.AppendLine("## Sharpness at the end").AppendLine();
        text.AppendLine(
            "Runs trained with `sharpness: K` (`--sharpness K`) measure the training loss's top Hessian eigenvalue and the Hessian's trace on the first 256 training samples, in eval mode, every K epochs and at their last epoch; smaller is flatter. Each row gives the mean over a configuration × noise plan's finished runs of the values at their last stored epoch, with its 95 % percentile bootstrap interval (10,000 resamples; – for a single run). Diverged and pruned runs are left out, as in the tables above, and so are runs whose last epoch has no finite measurement. Only the configurations whose runs measured sharpness are listed.")
            .AppendLine();
        foreach (string note in report.SharpnessNotes)
            text.AppendLine(CultureInfo.InvariantCulture, $"Note: {note}").AppendLine();
        TableHead(text, "configuration", "noise plan", "runs", "top Hessian eigenvalue", "95 % bootstrap CI", "Hessian trace", "95 % bootstrap CI");
        foreach (SharpnessSummary s in report.Sharpness)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Escape(s.Configuration)} | {s.Plan} | {Math.Max(s.TopEigenvalue?.Runs ?? 0, s.Trace?.Runs ?? 0)} | {Plain(s.TopEigenvalue)} | {IntervalCell(s.TopEigenvalue)} | {Plain(s.Trace)} | {IntervalCell(s.Trace)} |");
        }
        text.AppendLine();
        if (report.SharpnessComparisons.Count == 0)
            return;
        int eigenvalues = report.SharpnessComparisons.Count(c => c.Measure == SharpnessMeasure.TopEigenvalue), traces = report.SharpnessComparisons.Count - eigenvalues;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Δ is a plan's mean minus the mean of the `none` plan of the same configuration, the runs taken as independent samples: a negative Δ is a flatter end. The interval is a 95 % percentile bootstrap (10,000 resamples of each group), Welch p is Welch's t-test, and Holm p corrects it for the {eigenvalues} top-eigenvalue comparison(s) of this sweep, and separately for its {traces} trace comparison(s). The verdict is \"flatter\" when Holm p < α = {Alpha:F2} and the interval lies below 0, \"sharper\" when Holm p < α and it lies above 0, and \"no detectable difference\" otherwise.")
            .AppendLine();
        TableHead(text, "configuration", "noise plan", "measure", "seeds", "Δ", "95 % bootstrap CI", "Welch p", "Holm p", "verdict");
        foreach (SharpnessComparison c in report.SharpnessComparisons)
        {
            string verdict = c.Verdict switch { ShiftVerdict.Lower => "flatter", ShiftVerdict.Higher => "sharper", _ => "no detectable difference" };
            string measure = c.Measure == SharpnessMeasure.TopEigenvalue ? "top eigenvalue" : "trace";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {Escape(c.Configuration)} | {c.Plan} | {measure} | {c.Seeds} | {Tested(c.Difference, c.Low, c.High, c.P, c.AdjustedP, verdict)} |");
        }
        text.AppendLine();
    }

    private static string Plain(MeanInterval? value) => value is null ? "–" : value.Mean.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>narrower: regularizes, wider, or no detectable difference.</summary>
    public static string GapVerdictText(GapVerdict verdict) => verdict switch
    {
        GapVerdict.Narrower => "narrower: regularizes",
        GapVerdict.Wider => "wider",
        _ => "no detectable difference",
    };

    private static string GapMean(MeanInterval? gap) => gap is null ? "–" : SweepReport.Signed(gap.Mean);

    private static string IntervalCell(MeanInterval? gap) =>
        gap is null || gap.Runs < 2 ? "–" : Interval(gap.Low, gap.High);

    private static void WriteFewSeeds(StringBuilder text, SweepReport report)
    {
        var few = report.Comparisons.Select(c => (c.Configuration, c.Plan, c.Seeds))
            .Concat(report.PairedComparisons.Select(c => (c.Configuration, c.Plan, c.Seeds)))
            .Where(c => c.Seeds < SweepReport.FewSeeds)
            .GroupBy(c => (c.Configuration, c.Plan)).Select(g => (g.Key.Configuration, g.Key.Plan, Seeds: g.Min(c => c.Seeds)))
            .ToList();
        if (few.Count == 0)
            return;
        int fewest = few.Min(c => c.Seeds);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"**Few seeds.** These verdicts rest on fewer than {SweepReport.FewSeeds} seeds: {string.Join("; ", few.Select(c => $"{Escape(c.Configuration)} · {c.Plan} ({c.Seeds})"))}. With {fewest} values a bootstrap has only {DistinctResamples(fewest):N0} distinct resamples and the sign-flip p cannot go below {Math.Pow(2, 1 - fewest):0.####}: read them as indications, not findings.")
            .AppendLine();
    }

    // Resamples of n values with replacement that differ as multisets: C(2n − 1, n).
    private static double DistinctResamples(int n)
    {
        double count = 1;
        for (int k = 1; k <= n; k++)
            count = count * (n - 1 + k) / k;
        return Math.Round(count);
    }

    // A table's header row and the separator row under it.
    private static void TableHead(StringBuilder text, params string[] columns) =>
        text.AppendLine("| " + string.Join(" | ", columns) + " |").AppendLine("|" + string.Concat(Enumerable.Repeat(" --- |", columns.Length)));

    private static string Interval(double low, double high) => $"[{SweepReport.Signed(low)}, {SweepReport.Signed(high)}]";

    // The cells a comparison's row ends with: difference, interval, p, corrected p and verdict.
    private static string Tested(double difference, double low, double high, double p, double adjustedP, string verdict) =>
        string.Create(CultureInfo.InvariantCulture, $"{SweepReport.Signed(difference)} | {Interval(low, high)} | {p:F4} | {adjustedP:F4} | {verdict}");

    // Run ids separate their parts with '|', which Markdown tables read as a column break.
    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Figure(double? value) => value is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "–";

    private static string Best(PlanSummary plan) =>
        plan.TestAccuracy.Runs == 0 ? "–" : plan.TestAccuracy.Best.ToString("F4", CultureInfo.InvariantCulture);

    private static IEnumerable<string> FigureCells(PlanSummary plan) =>
        SweepReport.FigureNames.Select(name => plan.Figures?.GetValueOrDefault(name)?.ToString() ?? "–");
}
