using NoiseLab.Training;

namespace NoiseLab.Tuning;

/// <summary>
/// What a search scores a run by: the last epoch's validation accuracy for tasks that have one
/// (classification; higher is better), otherwise its validation loss (lower is better). The test
/// split never enters a score.
/// </summary>
/// <param name="Name">The figure's name, as in the JSON history: val_accuracy or val_loss.</param>
/// <param name="HigherIsBetter">Whether a larger score is a better one.</param>
public sealed record TuningMetric(string Name, bool HigherIsBetter)
{
    /// <summary>The last epoch's validation accuracy; higher is better.</summary>
    public static TuningMetric ValidationAccuracy { get; } = new("val_accuracy", HigherIsBetter: true);

    /// <summary>The last epoch's validation loss; lower is better.</summary>
    public static TuningMetric ValidationLoss { get; } = new("val_loss", HigherIsBetter: false);

    /// <summary>The metric that fits <paramref name="result"/>'s task, and the run's score by it.</summary>
    public static (TuningMetric Metric, double Score) Score(TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.History.Count == 0)
            throw new ArgumentException("The run has no epochs to score.", nameof(result));
        EpochRecord last = result.History[^1];
        return last.ValAccuracy is double accuracy ? (ValidationAccuracy, accuracy) : (ValidationLoss, last.ValLoss);
    }

    /// <summary>Whether score <paramref name="a"/> is strictly better than score <paramref name="b"/>.</summary>
    public bool IsBetter(double a, double b) => HigherIsBetter ? a > b : a < b;
}
