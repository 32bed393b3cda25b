using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Models.Stacked;
using NoiseLab.Optimization;
using NoiseLab.Training;

namespace NoiseLab.Tests.Training.Stacked;

/// <summary>The same configuration trained as k single runs and as one stacked run, for comparing them.</summary>
internal sealed record StackedRuns(ModelSpec Model, OptimizerSpec Optimizer, TrainerOptions Options)
{
    /// <summary>Per seed and the run's (or replica's) own module, the callbacks of its run (a new set for each run).</summary>
    public Func<long, TorchSharp.torch.nn.Module, TrainingCallback[]> Callbacks { get; init; } = (_, _) => [];

    public TrainingResult Single(DataSplits data, long seed)
    {
        using var model = ModelRegistry.Create(Model, Shape(data), seed);
        using var optimizer = Optimizer.Create(model.parameters());
        var trainer = new Trainer(model, optimizer, Options with { Seed = seed });
        foreach (TrainingCallback callback in Callbacks(seed, model))
            trainer.Add(callback);
        return trainer.Fit(data);
    }

    /// <summary>Runs the single run of <paramref name="seed"/>, or the exception it ends with.</summary>
    public (TrainingResult? Result, Exception? Error) TrySingle(DataSplits data, long seed)
    {
        try
        {
            return (Single(data, seed), null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, e);
        }
    }

    public IReadOnlyList<ReplicaOutcome?> Stacked(DataSplits data, IReadOnlyList<long?> seeds, Action<ReplicaOutcome>? finished = null)
    {
        using var model = StackedModels.Create(Model, Shape(data), seeds);
        using var trainer = new StackedTrainer(model, seeds, parameters => Optimizer.Create(parameters), Options) { ReplicaFinished = finished };
        for (int slot = 0; slot < seeds.Count; slot++)
        {
            if (seeds[slot] is long seed)
            {
                foreach (TrainingCallback callback in Callbacks(seed, model.Replicas[slot]!))
                    trainer.Add(slot, callback);
            }
        }
        return trainer.Fit(data);
    }

    public static ModelShape Shape(DataSplits data) => new(data.SampleShape, data.Outputs);
}
