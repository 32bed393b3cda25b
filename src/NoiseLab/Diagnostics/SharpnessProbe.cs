using NoiseLab.Randomness;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Diagnostics;

/// <summary>
/// Measures the training loss's sharpness on a fixed batch every <see cref="EveryEpochs"/> epochs (and
/// at the last epoch), in eval mode so that dropout and noise do not blur it, and writes
/// sharpness.top_eigenvalue and sharpness.trace into the epoch's diagnostics. It costs about
/// 2·(iterations + samples) forward-backward passes on the batch, so it is off unless asked for.
/// </summary>
public sealed class SharpnessProbe(Tensor inputs, Tensor targets, Objective objective, int everyEpochs, int iterations = 20, int samples = 10) : TrainingCallback
{
    /// <summary>How often, in epochs.</summary>
    public int EveryEpochs { get; } = everyEpochs > 0 ? everyEpochs : throw new ArgumentOutOfRangeException(nameof(everyEpochs), everyEpochs, "The sharpness interval must be at least 1 epoch.");

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(record);
        if (record.Epoch % EveryEpochs != 0 && record.Epoch != context.Options.Epochs)
            return;
        bool wasTraining = context.Model.training;
        context.Model.eval();
        try
        {
            using var generator = new Generator(SeedDerivation.Derive(context.Options.Seed, "sharpness") ^ (ulong)record.Epoch);
            Tensor Loss() => objective.Loss(context.Model.call(inputs), targets);
            record.Annotate("sharpness.top_eigenvalue", Sharpness.TopEigenvalue(Loss, context.Parameters, iterations, generator));
            record.Annotate("sharpness.trace", Sharpness.Trace(Loss, context.Parameters, samples, generator));
        }
        finally
        {
            context.Model.train(wasTraining);
        }
    }
}
