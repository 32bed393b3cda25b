using System.Text.Json.Serialization;
using NoiseLab.Randomness;

namespace NoiseLab.Training;

/// <summary>How <see cref="Trainer"/> runs: epochs, batch size, seed, clipping, evaluation.</summary>
public sealed record TrainerOptions
{
    /// <summary>Number of passes over the training split (at least 1).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Samples per optimizer step; the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>
    /// Micro-batches per optimizer step (gradient accumulation). Each optimizer step takes
    /// BatchSize × AccumulationSteps samples, runs forward and backward on micro-batches of BatchSize,
    /// and sums their gradients as one batch would; step moments (and so noise) run once per optimizer step.
    /// </summary>
    public int AccumulationSteps { get; init; } = 1;

    /// <summary>Seed of the run: the shuffle order and TorchSharp's global generator (dropout) derive from it.</summary>
    public long Seed { get; init; }

    /// <summary>Maximum L2 norm of the whole gradient; larger gradients are scaled down to it. Null: no clipping.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>Samples per forward pass when evaluating (no gradients are kept, so this can be large).</summary>
    public int EvaluationBatchSize { get; init; } = 1000;

    /// <summary>
    /// False (default): train loss and accuracy are means over the epoch's minibatches, as trained
    /// (training mode, weights moving, any noise included). True: a clean eval-mode pass over the
    /// training split at the end of each epoch, comparable with validation; it costs about a third of an epoch.
    /// </summary>
    public bool EvaluateTrainingSet { get; init; }

    /// <summary>
    /// The generator every fast-path noise draw of the run uses (<see cref="Randomness.NoiseGenerator"/>); checkpoints
    /// record it and a run refuses to resume one drawn with another. Not part of a run spec's JSON, so that the
    /// stored configurations and checkpoint keys written before generators were versioned stay valid.
    /// </summary>
    [JsonIgnore]
    public NoiseGenerator NoiseGenerator { get; init; } = NoiseGenerator.Default;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (Epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be at least 1.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1.");
        if (AccumulationSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(AccumulationSteps), AccumulationSteps, "Accumulation steps must be at least 1.");
        if (EvaluationBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(EvaluationBatchSize), EvaluationBatchSize, "The evaluation batch size must be at least 1.");
        if (ClipNorm is double clip && !(clip > 0 && double.IsFinite(clip)))
            throw new ArgumentOutOfRangeException(nameof(ClipNorm), ClipNorm, "The clipping norm must be a positive finite number.");
        if (NoiseGenerator is null)
            throw new ArgumentNullException(nameof(NoiseGenerator), "The noise generator must be set; NoiseGenerator.Default is the usual one.");
    }
}
