using System.Globalization;
using NoiseLab.Training;
using Spectre.Console;

namespace NoiseLab.Cli.Output;

/// <summary>The per-epoch table and the test line printed at the end of <c>noiselab train</c>.</summary>
internal static class HistoryTable
{
    public static void Write(IAnsiConsole console, TrainingResult result)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("epoch", "train loss", "train acc", "val loss", "val acc", "grad norm", "Δw norm", "lr");
        foreach (EpochRecord r in result.History)
        {
            table.AddRow(
                r.Epoch.ToString(CultureInfo.InvariantCulture),
                Number(r.TrainLoss), Percent(r.TrainAccuracy),
                Number(r.ValLoss), Percent(r.ValAccuracy),
                Number(r.GradNorm), Number(r.WeightUpdateNorm),
                r.LearningRate.ToString("0.00e+0", CultureInfo.InvariantCulture));
        }
        foreach (var column in table.Columns.Skip(1))
            column.RightAligned();
        console.Write(table);
        console.MarkupLine($"test loss [bold]{Number(result.TestLoss)}[/], test accuracy [bold]{Percent(result.TestAccuracy)}[/]");
    }

    private static string Number(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (100 * fraction).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
