using System.Globalization;
using NoiseLab.Training;

namespace NoiseLab.Cli.Output;

/// <summary>
/// Progress as plain lines, one per epoch, for logs, pipes and CI (where an animated display
/// prints nothing), and on stderr under --json so that stdout holds only the JSON.
/// </summary>
internal sealed class ProgressLines(TextWriter writer) : TrainingCallback
{
    public override void OnTrainStart(TrainingContext context) =>
        writer.WriteLine($"training: {context.Options.Epochs} epoch(s) of {context.StepsPerEpoch} steps");

    public override void OnEpochEnd(TrainingContext context, EpochRecord record) =>
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {record.Epoch}/{context.Options.Epochs}: train loss {record.TrainLoss:F4}{Figures(record.TrainMetrics)}, val loss {record.ValLoss:F4}{Figures(record.ValMetrics)}"));

    private static string Figures(IReadOnlyDictionary<string, double> metrics) =>
        string.Concat(metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $" {(m.Key == "accuracy" ? "acc" : m.Key)} {m.Value:F4}")));
}
