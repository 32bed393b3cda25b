using System.Globalization;
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
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("epoch", "train loss", "train acc", "val loss", "val acc", "grad norm", "Δw norm", "lr")
            .AddColumns([.. injectors.Select(name => $"σ {name}")]);
        foreach (EpochRecord r in result.History)
        {
            string[] sigmas = [.. injectors.Select(name => r.Sigmas.TryGetValue(name, out double s) ? s.ToString("0.###e+0", CultureInfo.InvariantCulture) : "-")];
            table.AddRow([
                r.Epoch.ToString(CultureInfo.InvariantCulture),
                Number(r.TrainLoss), Percent(r.TrainAccuracy),
                Number(r.ValLoss), Percent(r.ValAccuracy),
                Number(r.GradNorm), Number(r.WeightUpdateNorm),
                r.LearningRate.ToString("0.00e+0", CultureInfo.InvariantCulture),
                .. sigmas]);
        }
        foreach (var column in table.Columns.Skip(1))
            column.RightAligned();
        console.Write(table);
        console.MarkupLine($"test loss [bold]{Number(result.TestLoss)}[/], test accuracy [bold]{Percent(result.TestAccuracy)}[/]");
    }

    private static string Number(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (100 * fraction).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
