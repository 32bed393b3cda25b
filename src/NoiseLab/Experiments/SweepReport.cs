using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using NoiseLab.Statistics;

namespace NoiseLab.Experiments;

/// <summary>One configuration × noise plan of a sweep, over its seeds.</summary>
public sealed record PlanSummary(string Configuration, string Plan, RestartSummary TestAccuracy, double[] Scores);

/// <summary>A noise plan against the no-noise baseline of the same configuration.</summary>
public sealed record PlanComparison(string Configuration, string Plan, double Difference, double Low, double High, double P, double AdjustedP, Verdict Verdict);

/// <summary>
/// Turns a sweep's finished runs into seed-style tables (test accuracy: mean ± std over seeds, best,
/// success rate) and, for every plan against the "none" baseline of the same configuration, the
/// difference with a 95 % bootstrap interval, Welch's p-value Holm-corrected across the comparisons,
/// and a verdict; written as Markdown and as a self-contained HTML page.
/// </summary>
public sealed class SweepReport
{
    private SweepReport(string sweep, IReadOnlyList<PlanSummary> plans, IReadOnlyList<PlanComparison> comparisons)
    {
        Sweep = sweep;
        Plans = plans;
        Comparisons = comparisons;
    }

    /// <summary>The sweep's name.</summary>
    public string Sweep { get; }

    /// <summary>One row per configuration × plan.</summary>
    public IReadOnlyList<PlanSummary> Plans { get; }

    /// <summary>One row per plan other than the baseline, with at least two seeds on each side.</summary>
    public IReadOnlyList<PlanComparison> Comparisons { get; }

    /// <summary>Builds the report of <paramref name="sweep"/> from <paramref name="store"/>.</summary>
    public static SweepReport Build(RunStore store, string sweep, double successAt)
    {
        ArgumentNullException.ThrowIfNull(store);
        var finished = store.Runs(sweep).Where(r => r.Status == "finished" && r.Result is not null).ToList();
        var plans = finished
            .Select(r => (Configuration: ConfigurationOf(r.Id), r.Plan, Score: TestAccuracy(r.Result!)))
            .Where(r => r.Score is not null)
            .GroupBy(r => (r.Configuration, r.Plan))
            .OrderBy(g => g.Key.Configuration, StringComparer.Ordinal).ThenBy(g => g.Key.Plan == "none" ? "" : g.Key.Plan, StringComparer.Ordinal)
            .Select(g =>
            {
                double[] scores = [.. g.Select(r => r.Score!.Value)];
                return new PlanSummary(g.Key.Configuration, g.Key.Plan, RestartSummary.Of(scores, successAt), scores);
            })
            .ToList();

        var raw = new List<(string Configuration, string Plan, double Difference, double Low, double High, double P)>();
        foreach (PlanSummary plan in plans.Where(p => p.Plan != "none"))
        {
            PlanSummary? baseline = plans.FirstOrDefault(p => p.Configuration == plan.Configuration && p.Plan == "none");
            if (baseline is null || baseline.Scores.Length < 2 || plan.Scores.Length < 2)
                continue;
            var (difference, low, high) = Comparison.BootstrapDifference(plan.Scores, baseline.Scores);
            raw.Add((plan.Configuration, plan.Plan, difference, low, high, WelchTTest.Test(plan.Scores, baseline.Scores).P));
        }
        double[] adjusted = Comparison.Holm([.. raw.Select(r => r.P)]);
        var comparisons = raw.Select((r, i) => new PlanComparison(r.Configuration, r.Plan, r.Difference, r.Low, r.High, r.P, adjusted[i],
            Comparison.Judge(r.Low, r.High, adjusted[i]))).ToList();
        return new SweepReport(sweep, plans, comparisons);
    }

    /// <summary>The report as Markdown.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Sweep {Sweep}").AppendLine();
        text.AppendLine("| configuration | noise plan | runs | test accuracy mean ± std | best | success rate |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (PlanSummary p in Plans)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Escape(p.Configuration)} | {p.Plan} | {p.TestAccuracy.Runs} | {p.TestAccuracy.Mean:F4} ± {p.TestAccuracy.Std:F4} | {p.TestAccuracy.Best:F4} | {p.TestAccuracy.SuccessRate:P0} (≥ {p.TestAccuracy.SuccessAt:F2}) |");
        }
        text.AppendLine().AppendLine("| configuration | noise plan | Δ test accuracy | 95 % bootstrap CI | Welch p | Holm p | verdict |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (PlanComparison c in Comparisons)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Escape(c.Configuration)} | {c.Plan} | {c.Difference:+0.0000;-0.0000} | [{c.Low:+0.0000;-0.0000}, {c.High:+0.0000;-0.0000}] | {c.P:F4} | {c.AdjustedP:F4} | {VerdictText(c.Verdict)} |");
        }
        return text.ToString();
    }

    /// <summary>The report as a self-contained HTML page (no external files).</summary>
    public string ToHtml() => HtmlPage($"Sweep {Sweep}", ToHtmlSection());

    /// <summary>The report's heading and tables as an HTML fragment, for a page that holds several sweeps.</summary>
    public string ToHtmlSection()
    {
        static string Cell(string value) => $"<td>{WebUtility.HtmlEncode(value)}</td>";
        var html = new StringBuilder();
        html.Append("<h1>").Append(WebUtility.HtmlEncode($"Sweep {Sweep}")).Append("</h1><table><tr><th>configuration</th><th>noise plan</th><th>runs</th><th>test accuracy mean ± std</th><th>best</th><th>success rate</th></tr>");
        foreach (PlanSummary p in Plans)
        {
            html.Append("<tr>").Append(Cell(p.Configuration)).Append(Cell(p.Plan)).Append(Cell(p.TestAccuracy.Runs.ToString(CultureInfo.InvariantCulture)))
                .Append(Cell(string.Create(CultureInfo.InvariantCulture, $"{p.TestAccuracy.Mean:F4} ± {p.TestAccuracy.Std:F4}")))
                .Append(Cell(p.TestAccuracy.Best.ToString("F4", CultureInfo.InvariantCulture)))
                .Append(Cell(p.TestAccuracy.SuccessRate.ToString("P0", CultureInfo.InvariantCulture))).Append("</tr>");
        }
        html.Append("</table><table><tr><th>configuration</th><th>noise plan</th><th>Δ test accuracy</th><th>95 % bootstrap CI</th><th>Welch p</th><th>Holm p</th><th>verdict</th></tr>");
        foreach (PlanComparison c in Comparisons)
        {
            html.Append("<tr>").Append(Cell(c.Configuration)).Append(Cell(c.Plan))
                .Append(Cell(c.Difference.ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture)))
                .Append(Cell(string.Create(CultureInfo.InvariantCulture, $"[{c.Low:+0.0000;-0.0000}, {c.High:+0.0000;-0.0000}]")))
                .Append(Cell(c.P.ToString("F4", CultureInfo.InvariantCulture))).Append(Cell(c.AdjustedP.ToString("F4", CultureInfo.InvariantCulture)))
                .Append(Cell(VerdictText(c.Verdict))).Append("</tr>");
        }
        return html.Append("</table>").ToString();
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

    private static double? TestAccuracy(string result)
    {
        using JsonDocument json = JsonDocument.Parse(result);
        return json.RootElement.TryGetProperty("test_accuracy", out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
    }
}
