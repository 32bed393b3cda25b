using System.Globalization;

namespace NoiseLab.Experiments;

/// <summary>A run's settings as TensorBoard hyperparameters, for its HParams tab: one column per setting.</summary>
public static class RunHyperparameters
{
    /// <summary>
    /// The settings of <paramref name="spec"/> that tell runs apart: data, model, optimizer, learning rate, momentum,
    /// weight decay, schedule, noise (the plans joined by " + ", "none" without any), batch size, epochs, clipping
    /// ("none" without) and seed.
    /// </summary>
    public static IReadOnlyDictionary<string, object> Of(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new Dictionary<string, object>
        {
            ["data"] = spec.DataSet,
            ["model"] = spec.Model.ToString(),
            ["optimizer"] = spec.Optimizer.Kind.ToString().ToLowerInvariant(),
            ["lr"] = spec.Optimizer.LearningRate,
            ["momentum"] = spec.Optimizer.Momentum,
            ["weight_decay"] = spec.Optimizer.WeightDecay,
            ["lr_schedule"] = spec.LearningRateSchedule,
            ["noise"] = spec.Noise.Count == 0 ? "none" : string.Join(" + ", spec.Noise),
            ["batch_size"] = spec.Trainer.BatchSize,
            ["epochs"] = spec.Trainer.Epochs,
            ["clip"] = spec.Trainer.ClipNorm is double clip ? clip.ToString("R", CultureInfo.InvariantCulture) : "none",
            ["seed"] = spec.Trainer.Seed,
        };
    }
}
