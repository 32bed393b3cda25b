using System.Globalization;
using NoiseLab.Statistics;

namespace NoiseLab.Experiments;

/// <summary>Which sharpness figure of a run's last epoch a row is about (the diagnostics of <c>--sharpness</c>).</summary>
public enum SharpnessMeasure
{
    /// <summary>The training loss's top Hessian eigenvalue, <c>sharpness.top_eigenvalue</c>.</summary>
    TopEigenvalue,

    /// <summary>The Hessian's trace, <c>sharpness.trace</c>.</summary>
    Trace,
}

/// <summary>
/// The sharpness at the end of one configuration × noise plan's finished runs: the mean of each measure at the runs' last
/// stored epoch with its 95 % bootstrap interval (<see cref="MeanInterval"/>); null where no run has that measure there.
/// </summary>
public sealed record SharpnessSummary(string Configuration, string Plan, MeanInterval? TopEigenvalue, MeanInterval? Trace);

/// <summary>
/// A plan's mean sharpness at the end minus the no-noise baseline's, as independent samples: the difference, its 95 % bootstrap
/// interval, Welch's p, its Holm correction across the sweep's comparisons of the same <paramref name="Measure"/>, and the verdict
/// (<see cref="ShiftVerdict.Lower"/> is flatter); <paramref name="Seeds"/> is the smaller group's count of runs.
/// </summary>
public sealed record SharpnessComparison(string Configuration, string Plan, SharpnessMeasure Measure, int Seeds, double Difference, double Low, double High, double P, double AdjustedP, ShiftVerdict Verdict);

/// <summary>
/// The top Hessian eigenvalue and trace that runs trained with <c>sharpness: K</c> store at their last epoch, per plan and
/// against the baseline, for the configurations whose runs measured them.
/// </summary>
internal static class FinalSharpness
{
    /// <summary>The diagnostic key of <paramref name="measure"/>, as <c>SharpnessProbe</c> writes it.</summary>
    public static string KeyOf(SharpnessMeasure measure) => measure == SharpnessMeasure.TopEigenvalue ? "sharpness.top_eigenvalue" : "sharpness.trace";

    /// <summary>
    /// Each plan's summary (configurations by name, the baseline first), the comparisons with <see cref="SweepReport.Baseline"/>, and
    /// notes saying which runs and comparisons are left out. Only finished runs count, as in the report's other tables.
    /// </summary>
    public static (List<SharpnessSummary> Summaries, List<SharpnessComparison> Comparisons, List<string> Notes) Of(IReadOnlyList<EndedRun> runs, bool sweepHasBaseline)
    {
        ArgumentNullException.ThrowIfNull(runs);
        SharpnessMeasure[] measures = [SharpnessMeasure.TopEigenvalue, SharpnessMeasure.Trace];
        var finished = runs.Where(r => r.Finished).Select(r => (Run: r, Values: measures.Select(m => Final(r, m)).ToArray())).ToList();
        var measured = finished.GroupBy(r => r.Run.Configuration)
            .Where(g => g.Any(r => r.Run.History.Any(e => measures.Any(m => e.Diagnostics.ContainsKey(KeyOf(m))))))
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var summaries = new List<SharpnessSummary>();
        var notes = new List<string>();
        int unmeasured = measured.Sum(g => g.Count(r => r.Values.Any(v => v is null)));
        if (unmeasured > 0)
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{unmeasured} finished run(s) of these configurations have no finite top eigenvalue or trace at their last epoch, so they are left out of that measure."));
        if (!sweepHasBaseline && measured.Count > 0)
            notes.Add($"The sweep has no plan named '{SweepReport.Baseline}', so no plan's sharpness is compared with no noise; the table gives each plan's own.");
        var candidates = new List<(SharpnessMeasure Measure, string Configuration, string Plan, double[] Values, double[] Baseline)>();
        foreach (var configuration in measured)
        {
            var plans = configuration.GroupBy(r => r.Run.Plan).OrderBy(g => g.Key == SweepReport.Baseline ? "" : g.Key, StringComparer.Ordinal)
                .Select(g => (Plan: g.Key, Values: measures.Select((_, m) => g.Select(r => r.Values[m]).OfType<double>().ToArray()).ToArray())).ToList();
            var baseline = plans.FirstOrDefault(p => p.Plan == SweepReport.Baseline);
            foreach (var (plan, values) in plans)
            {
                summaries.Add(new SharpnessSummary(configuration.Key, plan, MeanInterval.Of(values[0]), MeanInterval.Of(values[1])));
                if (plan == SweepReport.Baseline || !sweepHasBaseline)
                    continue;
                for (int m = 0; m < measures.Length; m++)
                {
                    int baselineRuns = baseline.Values?[m].Length ?? 0;
                    if (values[m].Length < 2 || baselineRuns < 2)
                    {
                        notes.Add(string.Create(CultureInfo.InvariantCulture,
                            $"The {Label(measures[m])} of '{plan}' of {configuration.Key} is not compared with '{SweepReport.Baseline}': a comparison needs at least two runs that measured it in each, and there are {values[m].Length} and {baselineRuns}."));
                        continue;
                    }
                    candidates.Add((measures[m], configuration.Key, plan, values[m], baseline.Values![m]));
                }
            }
        }
        // Holm corrects within each measure, as the generalization gaps do: the eigenvalues are one family and the traces another.
        IndependentComparison[] tests = Comparison.IndependentByFamily([.. candidates.Select(c => (c.Measure, (IReadOnlyList<double>)c.Values, (IReadOnlyList<double>)c.Baseline))]);
        var comparisons = candidates.Select((c, k) => new SharpnessComparison(c.Configuration, c.Plan, c.Measure, Math.Min(c.Values.Length, c.Baseline.Length),
            tests[k].Difference, tests[k].Low, tests[k].High, tests[k].P, tests[k].AdjustedP, ShiftVerdicts.Of(tests[k].Verdict)));
        return (summaries, [.. comparisons], notes);
    }

    /// <summary>top eigenvalue or trace, as the report's sentences name them.</summary>
    public static string Label(SharpnessMeasure measure) => measure == SharpnessMeasure.TopEigenvalue ? "top Hessian eigenvalue" : "Hessian trace";

    // The measure at the run's last stored epoch: sharpness at the end, not the last epoch that happened to measure it.
    private static double? Final(EndedRun run, SharpnessMeasure measure) =>
        run.History.MaxBy(e => e.Epoch) is { } last && last.Diagnostics.TryGetValue(KeyOf(measure), out double value) && double.IsFinite(value) ? value : null;
}
