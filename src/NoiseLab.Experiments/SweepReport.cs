using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using NoiseLab.Statistics;

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

/// <summary>A noise plan against the no-noise baseline of the same configuration.</summary>
public sealed record PlanComparison(string Configuration, string Plan, double Difference, double Low, double High, double P, double AdjustedP, Verdict Verdict);

/// <summary>
/// Turns a sweep's runs into seed-style tables (train, validation and test accuracy and loss: mean ± std
/// over seeds; best test accuracy; success rate, with diverged and pruned runs counted as failures) and, for every plan against the "none" baseline of the same configuration, the
/// difference with a 95 % bootstrap interval, Welch's p-value Holm-corrected across the comparisons,
/// and a verdict; written as Markdown and as a self-contained HTML page.
/// </summary>
public sealed class SweepReport
{
    private SweepReport(string sweep, IReadOnlyList<PlanSummary> plans, IReadOnlyList<PlanComparison> comparisons, IReadOnlyList<string> notes)
    {
        Sweep = sweep;
        Plans = plans;
        Comparisons = comparisons;
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

    /// <summary>One row per configuration × plan.</summary>
    public IReadOnlyList<PlanSummary> Plans { get; }

    /// <summary>One row per plan other than the baseline, with at least two seeds on each side.</summary>
    public IReadOnlyList<PlanComparison> Comparisons { get; }

    /// <summary>The figures of the seed-style table, in column order.</summary>
    public static IReadOnlyList<string> FigureNames { get; } = ["train_accuracy", "val_accuracy", "test_accuracy", "train_loss", "val_loss", "test_loss"];

    /// <summary>Builds the report of <paramref name="sweep"/> from <paramref name="store"/>.</summary>
    public static SweepReport Build(RunStore store, string sweep, double successAt)
    {
        ArgumentNullException.ThrowIfNull(store);
        var runs = store.Runs(sweep);
        var diverged = runs.Where(r => r.Status == RunStatus.Diverged).GroupBy(r => (Configuration: ConfigurationOf(r.Id), r.Plan)).ToDictionary(g => g.Key, g => g.Count());
        var pruned = runs.Where(r => r.Status == RunStatus.Pruned).GroupBy(r => (Configuration: ConfigurationOf(r.Id), r.Plan)).ToDictionary(g => g.Key, g => g.Count());
        var all = runs.Where(r => r.Status == RunStatus.Finished && r.Result is not null)
            .Select(r => (Configuration: ConfigurationOf(r.Id), r.Plan, Score: TestAccuracy(r.Result!), Figures: Figures(store, sweep, r)))
            .ToList();
        var finished = all.Where(r => r.Score is not null).ToLookup(r => (r.Configuration, r.Plan));
        var notes = new List<string>();
        int unscored = all.Count(r => r.Score is null);
        if (unscored > 0)
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{unscored} finished run(s) record no test accuracy (a regression or tagging task), which these tables compare, so they are not listed; 'noiselab export' gives all their figures."));
        // A group whose every run diverged or was pruned still gets its row: those are results, never dropped.
        var plans = finished.Select(g => g.Key).Union(diverged.Keys).Union(pruned.Keys)
            .OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Plan == Baseline ? "" : k.Plan, StringComparer.Ordinal)
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

        var raw = new List<(string Configuration, string Plan, double Difference, double Low, double High, double P)>();
        bool sweepHasBaseline = runs.Any(r => r.Plan == Baseline);
        if (!sweepHasBaseline && runs.Count > 0)
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
            var (difference, low, high) = Comparison.BootstrapDifference(plan.Scores, baseline.Scores);
            raw.Add((plan.Configuration, plan.Plan, difference, low, high, WelchTTest.Test(plan.Scores, baseline.Scores).P));
        }
        double[] adjusted = Comparison.Holm([.. raw.Select(r => r.P)]);
        var comparisons = raw.Select((r, i) => new PlanComparison(r.Configuration, r.Plan, r.Difference, r.Low, r.High, r.P, adjusted[i],
            Comparison.Judge(r.Low, r.High, adjusted[i]))).ToList();
        return new SweepReport(sweep, plans, comparisons, notes);
    }

    /// <summary>The report as Markdown.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Sweep {Sweep}").AppendLine();
        text.AppendLine("| configuration | noise plan | runs | diverged | pruned | train accuracy | val accuracy | test accuracy | train loss | val loss | test loss | best test accuracy | success rate |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (PlanSummary p in Plans)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Escape(p.Configuration)} | {p.Plan} | {p.TestAccuracy.Runs} | {p.TestAccuracy.Diverged} | {p.Pruned} | {string.Join(" | ", FigureCells(p))} | {Best(p)} | {p.TestAccuracy.SuccessRate:P0} (≥ {p.TestAccuracy.SuccessAt:F2}) |");
        }
        if (Comparisons.Count > 0)
        {
            text.AppendLine().AppendLine("| configuration | noise plan | Δ test accuracy | 95 % bootstrap CI | Welch p | Holm p | verdict |");
            text.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
            foreach (PlanComparison c in Comparisons)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {Escape(c.Configuration)} | {c.Plan} | {Signed(c.Difference)} | [{Signed(c.Low)}, {Signed(c.High)}] | {c.P:F4} | {c.AdjustedP:F4} | {VerdictText(c.Verdict)} |");
            }
        }
        foreach (string note in Notes)
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Note: {note}");
        return text.ToString();
    }

    /// <summary>
    /// A difference with four decimals and its sign, which a value that rounds to zero keeps: a bound
    /// of −0.0000 is below zero. (.NET's two-section format printed such a value as "-+0.0000".)
    /// </summary>
    internal static string Signed(double value) =>
        (value < 0 ? "-" : "+") + Math.Abs(value).ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>The report as a self-contained HTML page (no external files).</summary>
    public string ToHtml() => HtmlPage($"Sweep {Sweep}", ToHtmlSection());

    /// <summary>The report's heading and tables as an HTML fragment, for a page that holds several sweeps.</summary>
    public string ToHtmlSection()
    {
        static string Cell(string value) => $"<td>{WebUtility.HtmlEncode(value)}</td>";
        var html = new StringBuilder();
        html.Append("<h1>").Append(WebUtility.HtmlEncode($"Sweep {Sweep}")).Append("</h1><table><tr><th>configuration</th><th>noise plan</th><th>runs</th><th>diverged</th><th>pruned</th>"
            + "<th>train accuracy</th><th>val accuracy</th><th>test accuracy</th><th>train loss</th><th>val loss</th><th>test loss</th><th>best test accuracy</th><th>success rate</th></tr>");
        foreach (PlanSummary p in Plans)
        {
            html.Append("<tr>").Append(Cell(p.Configuration)).Append(Cell(p.Plan)).Append(Cell(p.TestAccuracy.Runs.ToString(CultureInfo.InvariantCulture)))
                .Append(Cell(p.TestAccuracy.Diverged.ToString(CultureInfo.InvariantCulture)))
                .Append(Cell(p.Pruned.ToString(CultureInfo.InvariantCulture)));
            foreach (string cell in FigureCells(p))
                html.Append(Cell(cell));
            html.Append(Cell(Best(p)))
                .Append(Cell(p.TestAccuracy.SuccessRate.ToString("P0", CultureInfo.InvariantCulture))).Append("</tr>");
        }
        html.Append("</table>");
        if (Comparisons.Count > 0)
            html.Append("<table><tr><th>configuration</th><th>noise plan</th><th>Δ test accuracy</th><th>95 % bootstrap CI</th><th>Welch p</th><th>Holm p</th><th>verdict</th></tr>");
        foreach (PlanComparison c in Comparisons)
        {
            html.Append("<tr>").Append(Cell(c.Configuration)).Append(Cell(c.Plan))
                .Append(Cell(Signed(c.Difference)))
                .Append(Cell($"[{Signed(c.Low)}, {Signed(c.High)}]"))
                .Append(Cell(c.P.ToString("F4", CultureInfo.InvariantCulture))).Append(Cell(c.AdjustedP.ToString("F4", CultureInfo.InvariantCulture)))
                .Append(Cell(VerdictText(c.Verdict))).Append("</tr>");
        }
        if (Comparisons.Count > 0)
            html.Append("</table>");
        foreach (string note in Notes)
            html.Append("<p>Note: ").Append(WebUtility.HtmlEncode(note)).Append("</p>");
        return html.ToString();
    }

    /// <summary>An HTML page titled <paramref name="title"/> around <paramref name="body"/>, with the report's styles.</summary>
    public static string HtmlPage(string title, string body) =>
        new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(title))
            .Append("</title><style>body{font-family:sans-serif}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px}img{max-width:100%;height:auto}</style></head><body>")
            .Append(body).Append("</body></html>").ToString();

    /// <summary>helps, hurts, or no detectable difference.</summary>
    public static string VerdictText(Verdict verdict) => verdict switch
    {
        Verdict.Helps => "helps",
        Verdict.Hurts => "hurts",
        _ => "no detectable difference",
    };

    // Run ids separate their parts with '|', which Markdown tables read as a column break.
    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>
    /// The configuration a run belongs to: its id without the noise plan and seed parts
    /// (<c>data|model|optimizer:lr|clip=C</c>); the runs of one configuration differ only in plan and seed.
    /// </summary>
    public static string ConfigurationOf(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return string.Join('|', runId.Split('|')[..4]);
    }

    private static string Best(PlanSummary plan) =>
        plan.TestAccuracy.Runs == 0 ? "–" : plan.TestAccuracy.Best.ToString("F4", CultureInfo.InvariantCulture);

    private static IEnumerable<string> FigureCells(PlanSummary plan) =>
        FigureNames.Select(name => plan.Figures?.GetValueOrDefault(name)?.ToString() ?? "–");

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
            if (json.RootElement.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number)
                figures[name] = value.GetDouble();
        }
        return figures;
    }

    private static double? TestAccuracy(string result)
    {
        using JsonDocument json = JsonDocument.Parse(result);
        return json.RootElement.TryGetProperty("test_accuracy", out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
    }
}
