using System.Globalization;
using NoiseLab.Experiments;
using NoiseLab.Training;
using Spectre.Console;

namespace NoiseLab.Cli.Output;

/// <summary>The per-epoch table and the test line printed at the end of <c>noiselab train</c>.</summary>
internal static class HistoryTable
{
    public static void Write(IAnsiConsole console, TrainingResult result)
    {
        // One σ column per injector that reported a level in any epoch (noise that came and went, like
        // the adaptive controller's, shows a dash in the epochs without it).
        string[] injectors = [.. result.History.SelectMany(r => r.Sigmas.Keys).Distinct().Order(StringComparer.Ordinal)];
        // Classification shows accuracy; other tasks show their own figures (e.g. MSE and MAE in the target's units).
        string[] figures = result.TestAccuracy is null ? [.. result.TestMetrics.Keys] : ["acc"];
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("epoch", "train loss")
            .AddColumns([.. figures.Select(f => $"train {f}")])
            .AddColumns("val loss")
            .AddColumns([.. figures.Select(f => $"val {f}")])
            .AddColumns("grad norm", "Δw norm", "lr")
            .AddColumns([.. injectors.Select(name => $"σ {name}")]);
        foreach (EpochRecord r in result.History)
        {
            string[] sigmas = [.. injectors.Select(name => r.Sigmas.TryGetValue(name, out double s) ? s.ToString("0.###e+0", CultureInfo.InvariantCulture) : "-")];
            table.AddRow([
                r.Epoch.ToString(CultureInfo.InvariantCulture),
                Number(r.TrainLoss), .. Figures(r.TrainAccuracy, r.TrainMetrics, figures),
                Number(r.ValLoss), .. Figures(r.ValAccuracy, r.ValMetrics, figures),
                Number(r.GradNorm), Number(r.WeightUpdateNorm),
                r.LearningRate.ToString("0.00e+0", CultureInfo.InvariantCulture),
                .. sigmas]);
        }
        foreach (var column in table.Columns.Skip(1))
            column.RightAligned();
        console.Write(table);
        string testFigures = result.TestAccuracy is double accuracy
            ? $"test accuracy [bold]{Percent(accuracy)}[/]"
            : string.Join(", ", result.TestMetrics.Select(m => $"test {m.Key} [bold]{Number(m.Value)}[/]"));
        console.MarkupLine($"test loss [bold]{Number(result.TestLoss)}[/], {testFigures}");
        if (result.EarlyStopping is { } stop)
        {
            string stopped = stop.StoppedEpoch is int epoch ? $"stopped after epoch {epoch}" : "did not stop";
            string restored = stop.RestoredEpoch is int best ? $"; test figures from the restored weights of epoch {best}" : "";
            console.MarkupLine(Markup.Escape($"early stopping on {stop.Monitor}: {stopped}, best {Number(stop.BestValue)} at epoch {stop.BestEpoch}{restored}"));
        }
    }

    public static void WriteRestarts(IAnsiConsole console, RestartSummary summary, IReadOnlyList<(long Seed, TrainingResult? Result, string? Diverged)> runs)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("seed", "test loss", "test acc");
        foreach (var (seed, result, _) in runs)
            table.AddRow(seed.ToString(CultureInfo.InvariantCulture), result is null ? "diverged" : Number(result.TestLoss), result is null ? "-" : Percent(result.TestAccuracy ?? 0));
        console.Write(table);
        string diverged = summary.Diverged > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({summary.Diverged} diverged)") : "";
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary.Runs} runs{diverged}: best [bold]{Percent(summary.Best)}[/], mean [bold]{Percent(summary.Mean)} ± {100 * summary.Std:F2}[/], success rate (≥ {Percent(summary.SuccessAt)}) [bold]{100 * summary.SuccessRate:F0}%[/]"));
    }

    private static string[] Figures(double? accuracy, IReadOnlyDictionary<string, double> metrics, string[] names) =>
        accuracy is double a ? [Percent(a)] : [.. names.Select(n => metrics.TryGetValue(n, out double v) ? Number(v) : "-")];

    private static string Number(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (100 * fraction).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
