using System.Globalization;
using NoiseLab.Tuning;
using Spectre.Console;

namespace NoiseLab.Cli.Output;

/// <summary>What <c>noiselab tune</c> prints: one row per candidate sigma, then the best and the one-standard-error choice.</summary>
internal static class TuneTable
{
    public static void Write(IAnsiConsole console, SigmaSearchResult result, NoisePlanTemplate plan, string scoredOn)
    {
        string metric = result.Metric.Name;
        console.WriteLine($"{plan.Text}: sigma by {metric} ({(result.Metric.HigherIsBetter ? "higher" : "lower")} is better), {scoredOn}");
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("sigma", $"mean {metric}", "± std", "std error", "n", "scores (fold/seed)", "");
        foreach (CandidateSummary c in result.Candidates)
        {
            string marks = string.Join(", ", new[] { (c == result.Best, "best"), (c == result.OneStandardError, "1-SE choice"), (c.Diverged > 0, $"{c.Diverged} diverged") }
                .Where(m => m.Item1).Select(m => m.Item2));
            table.AddRow(
                Sigma(c.Sigma),
                Number(c.Mean), Number(c.Std), Number(c.StdError),
                c.Count.ToString(CultureInfo.InvariantCulture),
                string.Join(" ", c.Scores.Select(s => s.Score is double v ? Number(v) : "diverged")),
                marks);
        }
        foreach (var column in table.Columns.Skip(1).Take(4))
            column.RightAligned();
        console.Write(table);
        CandidateSummary best = result.Best, oneSe = result.OneStandardError;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"best: sigma {Sigma(best.Sigma)}, {metric} {Number(best.Mean)} ± {Number(best.Std)} (std over {best.Count} run{(best.Count == 1 ? "" : "s")}; std error {Number(best.StdError)})"));
        string bound = result.Metric.HigherIsBetter
            ? $"at least {Number(best.Mean - best.StdError)} (best mean − 1 std error)"
            : $"at most {Number(best.Mean + best.StdError)} (best mean + 1 std error)";
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"1-SE choice: sigma {Sigma(oneSe.Sigma)}, {metric} {Number(oneSe.Mean)} ± {Number(oneSe.Std)}: the largest sigma whose mean {metric} is {bound}"));
        string? chosen = plan.WithSigma(oneSe.Sigma);
        console.WriteLine(chosen is null
            ? "suggested: no noise (no sigma came within one std error of the no-noise baseline)"
            : $"suggested: --noise {chosen}");
    }

    private static string Sigma(double sigma) => sigma == 0 ? "0 (none)" : sigma.ToString("G4", CultureInfo.InvariantCulture);

    private static string Number(double? value) => value is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";
}
