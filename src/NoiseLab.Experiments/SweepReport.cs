using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using NoiseLab.Statistics;
using NoiseLab.Training;

namespace NoiseLab.Experiments;

/// <summary>One configuration × noise plan of a sweep, over its seeds.</summary>
/// <param name="Configuration">Data, model, optimizer and clipping (<see cref="SweepReport.ConfigurationOf"/>).</param>
/// <param name="Plan">The noise plan's name.</param>
/// <param name="TestAccuracy">Test accuracy over the finished runs, with diverged runs counted as failures.</param>
/// <param name="Scores">Each finished run's test accuracy.</param>
/// <param name="Figures">Mean ± std over the finished runs of each figure: train, val and test accuracy and loss (the last epoch's train and val).</param>
public sealed record PlanSummary(string Configuration, string Plan, RestartSummary TestAccuracy, double[] Scores, IReadOnlyDictionary<string, Spread>? Figures = null)
{
    /// <summary>Runs the sweep's pruner stopped: failures in the success rate, like diverged ones.</summary>
    public int Pruned { get; init; }
}

/// <summary>A mean and a sample standard deviation (n − 1; 0 for one value).</summary>
public sealed record Spread(double Mean, double Std)
{
    /// <summary>The spread of <paramref name="values"/>, or null when there are none.</summary>
    public static Spread? Of(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
            return null;
        double mean = values.Average();
        return new Spread(mean, values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Mean:F4} ± {Std:F4}");
}

/// <summary>
/// A noise plan against the no-noise baseline of the same configuration, as independent samples: the difference
/// in mean test accuracy, its 95 % bootstrap interval, Welch's p and its Holm correction, over
/// <see cref="Seeds"/> (the smaller group's count of finished runs).
/// </summary>
public sealed record PlanComparison(string Configuration, string Plan, double Difference, double Low, double High, double P, double AdjustedP, Verdict Verdict)
{
    /// <summary>The fewer of the two groups' finished runs.</summary>
    public int Seeds { get; init; }
}

/// <summary>
/// A noise plan against the no-noise baseline of the same configuration, paired by seed: over the
/// <paramref name="Seeds"/> seeds both finished, the mean of d_s = plan_s − none_s, its 95 % t interval, the
/// exact sign-flip p (<see cref="PairedTest.SignFlipP"/>), its Holm correction and the verdict.
/// </summary>
public sealed record PairedComparison(string Configuration, string Plan, int Seeds, double Difference, double Low, double High, double P, double AdjustedP, Verdict Verdict);

/// <summary>One run of a sweep as the report's per-run tables show it.</summary>
/// <param name="Configuration">Data, model, optimizer and clipping (<see cref="SweepReport.ConfigurationOf"/>).</param>
/// <param name="Plan">The noise plan's name.</param>
/// <param name="Seed">The run's seed, from its configuration.</param>
/// <param name="Status">finished, diverged, pruned, failed, interrupted or running.</param>
/// <param name="TestAccuracy">The final test accuracy, for a finished run of a task that has one.</param>
/// <param name="TestLoss">The final test loss, for a finished run.</param>
/// <param name="Epochs">How many epochs the store holds for it.</param>
public sealed record RunRow(string Configuration, string Plan, long? Seed, string Status, double? TestAccuracy, double? TestLoss, int Epochs);

/// <summary>
/// Turns a sweep's runs into seed-style tables (train, validation and test accuracy and loss: mean ± std
/// over seeds; best test accuracy; success rate, with diverged and pruned runs counted as failures) and, for every
/// plan against the "none" baseline of the same configuration, two comparisons: as independent samples (the
/// difference with a 95 % bootstrap interval, Welch's p-value Holm-corrected across the comparisons) and paired by
/// seed (t interval, exact sign-flip p, Holm-corrected), each with a verdict; the generalization gap of every plan
/// (<see cref="GeneralizationGap"/>) with its difference from the baseline's; the epochs each plan's runs take to reach the baseline's
/// median final validation figure (<see cref="TimeToTarget"/>, any task, forecasting included); and, where runs measured it, the sharpness
/// at the end (<see cref="FinalSharpness"/>). <see cref="SweepReportMarkdown"/> writes it; the HTML page is rendered from that Markdown.
/// </summary>
public sealed class SweepReport
{
    /// <summary>Below this many seeds a verdict is flagged as resting on too few runs.</summary>
    public const int FewSeeds = 5;

    private SweepReport(string sweep, string generator, double successAt, IReadOnlyList<PlanSummary> plans, IReadOnlyList<PlanComparison> comparisons,
        IReadOnlyList<PairedComparison> paired, IReadOnlyList<RunRow> runs, IReadOnlyList<string> notes,
        (List<GapSummary> Gaps, List<GapComparison> Comparisons, List<string> Notes) gaps,
        (List<ReachTarget> Targets, List<ReachSummary> Summaries, List<ReachComparison> Comparisons, List<string> Notes) reach,
        (List<SharpnessSummary> Summaries, List<SharpnessComparison> Comparisons, List<string> Notes) sharpness)
    {
        ReachTargets = reach.Targets;
        Reach = reach.Summaries;
        ReachComparisons = reach.Comparisons;
        ReachNotes = reach.Notes;
        Sharpness = sharpness.Summaries;
        SharpnessComparisons = sharpness.Comparisons;
        SharpnessNotes = sharpness.Notes;
        Gaps = gaps.Gaps;
        GapComparisons = gaps.Comparisons;
        GapNotes = gaps.Notes;
        Sweep = sweep;
        NoiseGenerator = generator;
        SuccessAt = successAt;
        Plans = plans;
        Comparisons = comparisons;
        PairedComparisons = paired;
        Runs = runs;
        Notes = notes;
    }

    /// <summary>The plan every other plan of a configuration is compared with.</summary>
    public const string Baseline = "none";

    /// <summary>
    /// Why something the tables could hold is not there: no baseline plan, a plan or baseline with fewer than two
    /// finished seeds, runs without a test accuracy. A report never leaves a table empty without saying why.
    /// </summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The sweep's name.</summary>
    public string Sweep { get; }

    /// <summary>The noise generator the sweep's runs drew with, as the store records it.</summary>
    public string NoiseGenerator { get; }

    /// <summary>The test accuracy a run must reach to count as a success.</summary>
    public double SuccessAt { get; }

    /// <summary>One row per configuration × plan.</summary>
    public IReadOnlyList<PlanSummary> Plans { get; }

    /// <summary>One row per plan other than the baseline, with at least two seeds on each side.</summary>
    public IReadOnlyList<PlanComparison> Comparisons { get; }

    /// <summary>One row per plan other than the baseline with at least two seeds that both it and the baseline finished.</summary>
    public IReadOnlyList<PairedComparison> PairedComparisons { get; }

    /// <summary>The generalization gaps of each configuration × plan of <see cref="Plans"/>, in the same order.</summary>
    public IReadOnlyList<GapSummary> Gaps { get; }

    /// <summary>
    /// Each plan's mean gaps against the baseline's: one row per measure (loss, then accuracy) of every plan other than the
    /// baseline with at least two runs with that gap on each side.
    /// </summary>
    public IReadOnlyList<GapComparison> GapComparisons { get; }

    /// <summary>Why a run or a comparison is not in the generalization-gap tables.</summary>
    public IReadOnlyList<string> GapNotes { get; }

    /// <summary>
    /// Each configuration's target for the time-to-target tables: the median final validation figure of its baseline's finished
    /// runs; by configuration, for those that have one.
    /// </summary>
    public IReadOnlyList<ReachTarget> ReachTargets { get; }

    /// <summary>
    /// How soon each configuration × plan's ended runs (finished, diverged, pruned; classification or not) reach their configuration's
    /// target (<see cref="ReachTargets"/>); by configuration, the baseline first.
    /// </summary>
    public IReadOnlyList<ReachSummary> Reach { get; }

    /// <summary>Each plan's mean epoch to the target against the baseline's, for every plan with at least two timed runs on each side.</summary>
    public IReadOnlyList<ReachComparison> ReachComparisons { get; }

    /// <summary>Why a configuration, a run or a comparison is not in the time-to-target tables.</summary>
    public IReadOnlyList<string> ReachNotes { get; }

    /// <summary>
    /// The top Hessian eigenvalue and trace at the end of each configuration × plan's finished runs, for the configurations whose
    /// runs measured them (<c>sharpness: K</c>); by configuration, the baseline first.
    /// </summary>
    public IReadOnlyList<SharpnessSummary> Sharpness { get; }

    /// <summary>Each plan's mean sharpness at the end against the baseline's: one row per measure (top eigenvalue, then trace) with at least two runs on each side.</summary>
    public IReadOnlyList<SharpnessComparison> SharpnessComparisons { get; }

    /// <summary>Why a run or a comparison is not in the sharpness tables.</summary>
    public IReadOnlyList<string> SharpnessNotes { get; }

    /// <summary>Every run, by configuration, plan (baseline first) and seed.</summary>
    public IReadOnlyList<RunRow> Runs { get; }

    /// <summary>Whether any configuration has the "none" baseline that comparisons are made against.</summary>
    public bool HasBaseline => Plans.Any(p => p.Plan == Baseline);

    /// <summary>The figures of the seed-style table, in column order.</summary>
    public static IReadOnlyList<string> FigureNames { get; } = ["train_accuracy", "val_accuracy", "test_accuracy", "train_loss", "val_loss", "test_loss"];

    /// <summary>Builds the report of <paramref name="sweep"/> from <paramref name="store"/>.</summary>
    public static SweepReport Build(RunStore store, string sweep, double successAt)
    {
        ArgumentNullException.ThrowIfNull(store);
        var stored = store.Runs(sweep);
        var rows = stored.Select(r => Row(store, sweep, r)).OrderBy(r => r.Configuration, StringComparer.Ordinal)
            .ThenBy(r => PlanOrder(r.Plan), StringComparer.Ordinal).ThenBy(r => r.Seed).ToList();
        var diverged = stored.Where(r => r.Status == RunStatus.Diverged).GroupBy(r => (Configuration: ConfigurationOf(r.Id), r.Plan)).ToDictionary(g => g.Key, g => g.Count());
        var pruned = stored.Where(r => r.Status == RunStatus.Pruned).GroupBy(r => (Configuration: ConfigurationOf(r.Id), r.Plan)).ToDictionary(g => g.Key, g => g.Count());
        var all = stored.Where(r => r.Status == RunStatus.Finished && r.Result is not null)
            .Select(r => (Configuration: ConfigurationOf(r.Id), r.Plan, Score: TestAccuracy(r.Result!), Figures: Figures(store, sweep, r)))
            .ToList();
        var finished = all.Where(r => r.Score is not null).ToLookup(r => (r.Configuration, r.Plan));
        var notes = new List<string>();
        int unscored = all.Count(r => r.Score is null);
        if (unscored > 0)
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{unscored} finished run(s) record no test accuracy (a regression or tagging task), which these tables compare, so they are not listed; 'noiselab export' gives all their figures."));
        // A group whose every run diverged or was pruned still gets its row: those are results, never dropped.
        var plans = finished.Select(g => g.Key).Union(diverged.Keys).Union(pruned.Keys)
            .OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => PlanOrder(k.Plan), StringComparer.Ordinal)
            .Select(key =>
            {
                var group = finished[key].ToList();
                double[] scores = [.. group.Select(r => r.Score!.Value)];
                int divergedRuns = diverged.GetValueOrDefault(key), prunedRuns = pruned.GetValueOrDefault(key);
                int failures = divergedRuns + prunedRuns;
                var figures = FigureNames
                    .Select(name => (name, Spread: Spread.Of([.. group.Select(r => r.Figures.GetValueOrDefault(name)).OfType<double>()])))
                    .Where(f => f.Spread is not null)
                    .ToDictionary(f => f.name, f => f.Spread!);
                RestartSummary summary = (scores.Length > 0
                    ? RestartSummary.Of(scores, successAt, failures)
                    : new RestartSummary(0, double.NaN, double.NaN, double.NaN, successAt, 0)) with { Diverged = divergedRuns };
                return new PlanSummary(key.Item1, key.Plan, summary, scores, figures) { Pruned = prunedRuns };
            })
            .ToList();
        bool sweepHasBaseline = stored.Any(r => r.Plan == Baseline);
        var gaps = GeneralizationGap.Of(plans, plan => finished[(plan.Configuration, plan.Plan)].Select(r => (IReadOnlyDictionary<string, double>)r.Figures), sweepHasBaseline);
        // The per-epoch sections read every run that ended, whatever its task: a forecaster's runs have no test accuracy but do have a history.
        EndedRun[] ended = [.. stored.Where(r => r.Status is RunStatus.Finished or RunStatus.Diverged or RunStatus.Pruned)
            .Select(r => new EndedRun(ConfigurationOf(r.Id), r.Plan, r.Status, PlannedEpochsOf(r.Config), store.Epochs(sweep, r.Id)))];
        return new SweepReport(sweep, store.NoiseGeneratorOf(sweep) ?? RunStore.UnversionedNoiseGenerator, successAt, plans,
            Independent(plans, stored.Count > 0, sweepHasBaseline, notes), Paired(plans, rows), rows, notes, gaps,
            TimeToTarget.Of(ended, sweepHasBaseline), FinalSharpness.Of(ended, sweepHasBaseline));
    }

    /// <summary>The report as Markdown (<see cref="SweepReportMarkdown.Write"/> with no figures).</summary>
    public string ToMarkdown() => SweepReportMarkdown.Write(this, provenance: null, forestPlots: null);

    /// <summary>
    /// A difference with four decimals and its sign, which a value that rounds to zero keeps: a bound
    /// of −0.0000 is below zero. (.NET's two-section format printed such a value as "-+0.0000".)
    /// </summary>
    internal static string Signed(double value) =>
        (value < 0 ? "-" : "+") + Math.Abs(value).ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>helps, hurts, or no detectable difference.</summary>
    public static string VerdictText(Verdict verdict) => verdict switch
    {
        Verdict.Helps => "helps",
        Verdict.Hurts => "hurts",
        _ => "no detectable difference",
    };

    /// <summary>
    /// The configuration a run belongs to: its id without the noise plan and seed parts
    /// (<c>data|model|optimizer:lr|clip=C</c>, then the group's label where it has one); the runs of one
    /// configuration differ only in plan and seed.
    /// </summary>
    public static string ConfigurationOf(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        // The plan and the seed are the last two parts; plan names hold no '|'.
        int seed = runId.LastIndexOf('|');
        int plan = seed > 0 ? runId.LastIndexOf('|', seed - 1) : -1;
        return plan > 0 ? runId[..plan] : runId;
    }

    // The baseline sorts first in every table.
    private static string PlanOrder(string plan) => plan == Baseline ? "" : plan;

    // The comparisons as independent samples; notes say why a plan is left out.
    private static List<PlanComparison> Independent(List<PlanSummary> plans, bool anyRuns, bool sweepHasBaseline, List<string> notes)
    {
        var compared = new List<(PlanSummary Plan, PlanSummary Baseline)>();
        if (!sweepHasBaseline && anyRuns)
            notes.Add($"The sweep has no plan named '{Baseline}', the no-noise baseline that each plan is compared with, so there is no comparison; add `{Baseline}: []` to the spec's noise plans to get one.");
        foreach (PlanSummary plan in plans.Where(p => p.Plan != Baseline && sweepHasBaseline))
        {
            PlanSummary? baseline = plans.FirstOrDefault(p => p.Configuration == plan.Configuration && p.Plan == Baseline);
            int baselineSeeds = baseline?.Scores.Length ?? 0;
            if (baseline is null || baselineSeeds < 2 || plan.Scores.Length < 2)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"'{plan.Plan}' of {plan.Configuration} is not compared with '{Baseline}': a comparison needs at least two finished seeds of each, and there are {plan.Scores.Length} and {baselineSeeds}."));
                continue;
            }
            compared.Add((plan, baseline));
        }
        IndependentComparison[] tests = Comparison.Independent([.. compared.Select(c => ((IReadOnlyList<double>)c.Plan.Scores, (IReadOnlyList<double>)c.Baseline.Scores))]);
        return [.. compared.Select((c, i) => new PlanComparison(c.Plan.Configuration, c.Plan.Plan, tests[i].Difference, tests[i].Low, tests[i].High, tests[i].P,
            tests[i].AdjustedP, tests[i].Verdict) { Seeds = Math.Min(c.Plan.Scores.Length, c.Baseline.Scores.Length) })];
    }

    private static List<PairedComparison> Paired(List<PlanSummary> plans, List<RunRow> rows)
    {
        static Dictionary<long, double> Scores(IEnumerable<RunRow> runs) =>
            runs.Where(r => r.Status == RunStatus.Finished && r.Seed is not null && r.TestAccuracy is not null)
                .GroupBy(r => r.Seed!.Value).ToDictionary(g => g.Key, g => g.First().TestAccuracy!.Value);
        var raw = new List<(string Configuration, string Plan, double[] Differences)>();
        foreach (PlanSummary plan in plans.Where(p => p.Plan != "none"))
        {
            var baseline = Scores(rows.Where(r => r.Configuration == plan.Configuration && r.Plan == "none"));
            var own = Scores(rows.Where(r => r.Configuration == plan.Configuration && r.Plan == plan.Plan));
            double[] differences = [.. own.Keys.Intersect(baseline.Keys).Order().Select(seed => own[seed] - baseline[seed])];
            if (differences.Length >= 2)
                raw.Add((plan.Configuration, plan.Plan, differences));
        }
        double[] p = [.. raw.Select(r => PairedTest.SignFlipP(r.Differences))];
        double[] adjusted = Comparison.Holm(p);
        return [.. raw.Select((r, i) =>
        {
            var (mean, low, high) = PairedTest.TInterval(r.Differences);
            return new PairedComparison(r.Configuration, r.Plan, r.Differences.Length, mean, low, high, p[i], adjusted[i], Comparison.Judge(low, high, adjusted[i]));
        })];
    }

    private static RunRow Row(RunStore store, string sweep, StoredRun run)
    {
        double? accuracy = null, loss = null;
        if (run.Status == RunStatus.Finished && run.Result is not null)
        {
            using JsonDocument json = JsonDocument.Parse(run.Result);
            accuracy = Number(json.RootElement, "test_accuracy");
            loss = Number(json.RootElement, "test_loss");
        }
        return new RunRow(ConfigurationOf(run.Id), run.Plan, SeedOf(run.Config), run.Status, accuracy, loss, store.Epochs(sweep, run.Id).Count);
    }

    private static long? SeedOf(string config)
    {
        using JsonDocument json = JsonDocument.Parse(config);
        return json.RootElement.TryGetProperty("trainer", out JsonElement trainer) && trainer.TryGetProperty("seed", out JsonElement seed)
            && seed.ValueKind == JsonValueKind.Number ? seed.GetInt64() : null;
    }

    // The epochs a run's spec asked for: a run that never reaches the target counts as one epoch more.
    private static int PlannedEpochsOf(string config)
    {
        using JsonDocument json = JsonDocument.Parse(config);
        return json.RootElement.TryGetProperty("trainer", out JsonElement trainer) && trainer.TryGetProperty("epochs", out JsonElement epochs)
            && epochs.ValueKind == JsonValueKind.Number ? epochs.GetInt32() : new TrainerOptions().Epochs;
    }

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    // The last stored epoch's train and val figures and the final test figures of one run.
    private static Dictionary<string, double> Figures(RunStore store, string sweep, StoredRun run)
    {
        var figures = new Dictionary<string, double>();
        if (store.Epochs(sweep, run.Id) is [.., var last])
        {
            figures["train_loss"] = last.TrainLoss;
            figures["val_loss"] = last.ValLoss;
            if (last.TrainAccuracy is double train)
                figures["train_accuracy"] = train;
            if (last.ValAccuracy is double val)
                figures["val_accuracy"] = val;
        }
        using JsonDocument json = JsonDocument.Parse(run.Result!);
        foreach (string name in new[] { "test_accuracy", "test_loss" })
        {
            if (Number(json.RootElement, name) is double value)
                figures[name] = value;
        }
        return figures;
    }

    private static double? TestAccuracy(string result)
    {
        using JsonDocument json = JsonDocument.Parse(result);
        return Number(json.RootElement, "test_accuracy");
    }
}
