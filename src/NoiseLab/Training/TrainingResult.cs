namespace NoiseLab.Training;

/// <summary>The outcome of <see cref="Trainer.Fit"/>: the per-epoch history and the final test figures.</summary>
/// <param name="History">One record per completed epoch.</param>
/// <param name="TestLoss">Loss on the test split after the last epoch.</param>
/// <param name="TestAccuracy">Accuracy on the test split after the last epoch, in [0, 1]; null for tasks without one.</param>
/// <param name="TestMetrics">Every figure of the task on the test split.</param>
public sealed record TrainingResult(IReadOnlyList<EpochRecord> History, double TestLoss, double? TestAccuracy, IReadOnlyDictionary<string, double> TestMetrics)
{
    /// <summary>
    /// SHA-256 of the whole training state at the end: weights and buffers, optimizer state, both random
    /// generators, every stateful callback's state and the step count. Two runs with equal fingerprints
    /// ended in the same state, bit for bit; a resumed run is checked against an uninterrupted one by it.
    /// </summary>
    public string? StateFingerprint { get; init; }

    /// <summary>What early stopping did (the stop, the best epoch, the restored weights); null when the run had none.</summary>
    public EarlyStoppingOutcome? EarlyStopping { get; init; }
}
