using NoiseLab.Checkpoints;
using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Experiments;

/// <summary>Carries out a <see cref="RunSpec"/>: loads the data, builds model and optimizer, trains.</summary>
public static class RunExecutor
{
    /// <summary>Runs <paramref name="spec"/> with <paramref name="callbacks"/> attached to the trainer.</summary>
    /// <param name="spec">The run.</param>
    /// <param name="callbacks">Observers and injectors, in the order they run.</param>
    /// <param name="log">Receives progress lines about data loading; null for silence.</param>
    /// <param name="checkpoints">Where to save a checkpoint after every epoch; null for none.</param>
    /// <param name="resumeFrom">A checkpoint of this run to continue from; null to start afresh.</param>
    public static TrainingResult Execute(RunSpec spec, IEnumerable<TrainingCallback>? callbacks = null, Action<string>? log = null,
        CheckpointFolder? checkpoints = null, TrainingCheckpoint? resumeFrom = null)
    {
        NoiseSpec[] noise = Prepare(spec);
        using DataSplits data = DataSetCatalog.Load(spec.DataSet, spec.Data, log);
        return Train(spec, noise, data, callbacks, checkpoints, resumeFrom);
    }

    /// <summary>Runs <paramref name="spec"/> on <paramref name="data"/>, already loaded (the spec's data set and data options are not read again), without callbacks or checkpoints.</summary>
    public static TrainingResult Execute(RunSpec spec, DataSplits data)
    {
        NoiseSpec[] noise = Prepare(spec);
        ArgumentNullException.ThrowIfNull(data);
        return Train(spec, noise, data, callbacks: null, checkpoints: null, resumeFrom: null);
    }

    private static TrainingResult Train(RunSpec spec, NoiseSpec[] noise, DataSplits data, IEnumerable<TrainingCallback>? callbacks,
        CheckpointFolder? checkpoints, TrainingCheckpoint? resumeFrom)
    {
        using var model = ModelRegistry.Create(spec.Model, ShapeOf(data), spec.Trainer.Seed);
        Objective objective = ObjectiveOf(data);
        if (spec.DType != ScalarType.Float32)
            model.to(spec.DType);
        if (spec.Device != "cpu")
            model.to(new Device(spec.Device));
        using var optimizer = spec.Optimizer.Create(model.parameters());
        // Schedules count optimizer steps: with accumulation a step takes several batches.
        int stepsPerEpoch = Trainer.StepsPerEpoch(data.Train.Count, spec.Trainer);
        var trainer = new Trainer(model, optimizer, spec.Trainer, objective);
        using var run = RunCallbacks.Create(spec, noise, model, data, objective, stepsPerEpoch, callbacks);
        foreach (TrainingCallback callback in run.Callbacks)
            trainer.Add(callback);
        if (checkpoints is not null)
            trainer.SaveCheckpoints(checkpoints);
        return run.Annotate(trainer.Fit(data, resumeFrom));
    }

    /// <summary>Checks <paramref name="spec"/> before anything is loaded, sets the thread count, and parses its noise plans.</summary>
    internal static NoiseSpec[] Prepare(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Trainer.Validate();
        if (spec.Threads < 1)
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Threads, "The thread count must be at least 1.");
        // Everything the run needs (noise, schedule, data set name, model, hook targets) is checked before any data is read, so a typo costs nothing.
        RunRequirements.Check(spec);
        NoiseSpec[] noise = [.. spec.Noise.Select(text => NoiseSpec.Parse(text, spec.Trainer.Epochs))];
        spec.EarlyStopping?.Validate();
        torch.set_num_threads(spec.Threads);
        return noise;
    }

    /// <summary>The model shape of <paramref name="data"/>'s samples.</summary>
    internal static ModelShape ShapeOf(DataSplits data) => new(data.SampleShape, data.Outputs, data.VocabularySize);

    /// <summary>What <paramref name="data"/>'s task optimizes: tagging, regression or classification.</summary>
    internal static Objective ObjectiveOf(DataSplits data) =>
        data.TagNames is { } tags ? new TaggingObjective(tags)
        : data.IsRegression ? new RegressionObjective(data.TargetScale)
        : new ClassificationObjective();
}
