using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Optimization;
using NoiseLab.Training;
using TorchSharp;

namespace NoiseLab.Experiments;

/// <summary>Carries out a <see cref="RunSpec"/>: loads the data, builds model and optimizer, trains.</summary>
public static class RunExecutor
{
    /// <summary>Runs <paramref name="spec"/> with <paramref name="callbacks"/> attached to the trainer.</summary>
    /// <param name="spec">The run.</param>
    /// <param name="callbacks">Observers and injectors, in the order they run.</param>
    /// <param name="log">Receives progress lines about data loading; null for silence.</param>
    public static TrainingResult Execute(RunSpec spec, IEnumerable<TrainingCallback>? callbacks = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Trainer.Validate();
        if (spec.Threads < 1)
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Threads, "The thread count must be at least 1.");
        torch.set_num_threads(spec.Threads);

        using DataSplits data = DataSetCatalog.Load(spec.DataSet, spec.Data, log);
        using var model = ModelRegistry.Create(spec.Model, new ModelShape(data.SampleShape, data.ClassCount), spec.Trainer.Seed);
        using var optimizer = spec.Optimizer.Create(model.parameters());
        int stepsPerEpoch = (data.Train.Count + spec.Trainer.BatchSize - 1) / spec.Trainer.BatchSize;
        var schedule = LearningRateSchedule.Parse(spec.LearningRateSchedule, spec.Optimizer.LearningRate, stepsPerEpoch);
        var trainer = new Trainer(model, optimizer, spec.Trainer).Add(new LearningRateScheduler(schedule));
        foreach (TrainingCallback callback in callbacks ?? [])
            trainer.Add(callback);
        return trainer.Fit(data);
    }
}
