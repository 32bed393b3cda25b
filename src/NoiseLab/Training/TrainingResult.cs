namespace NoiseLab.Training;

/// <summary>The outcome of <see cref="Trainer.Fit"/>: the per-epoch history and the final test figures.</summary>
/// <param name="History">One record per completed epoch.</param>
/// <param name="TestLoss">Loss on the test split after the last epoch.</param>
/// <param name="TestAccuracy">Accuracy on the test split after the last epoch, in [0, 1]; null for tasks without one.</param>
/// <param name="TestMetrics">Every figure of the task on the test split.</param>
public sealed record TrainingResult(IReadOnlyList<EpochRecord> History, double TestLoss, double? TestAccuracy, IReadOnlyDictionary<string, double> TestMetrics);
