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
        // The model is built, and its hooks attached, before any data is read: a model or hook that cannot be is
        // reported in a moment, not after the data set has loaded.
        ModelShape expected = DataSetNames.ShapeOf(spec.DataSet);
        var model = BuildWithHooks(spec, expected, noise);
        DataSplits data;
        try
        {
            data = DataSetCatalog.Load(spec.DataSet, spec.Data, log);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        using DataSplits loaded = data;
        return Train(spec, noise, data, model, expected, callbacks, checkpoints, resumeFrom);
    }

    /// <summary>Runs <paramref name="spec"/> on <paramref name="data"/>, already loaded (the spec's data set and data options are not read again), without callbacks or checkpoints.</summary>
    public static TrainingResult Execute(RunSpec spec, DataSplits data)
    {
        NoiseSpec[] noise = Prepare(spec);
        ArgumentNullException.ThrowIfNull(data);
        ModelShape shape = ShapeOf(data);
        ModelMemory.Check(spec.Model, shape, spec.Trainer.BatchSize);
        return Train(spec, noise, data, BuildWithHooks(spec, shape, noise), shape, callbacks: null, checkpoints: null, resumeFrom: null);
    }

    // Trains built (made for samples of shape built); it is disposed here.
    private static TrainingResult Train(RunSpec spec, NoiseSpec[] noise, DataSplits data, nn.Module<Tensor, Tensor> built, ModelShape builtFor,
        IEnumerable<TrainingCallback>? callbacks, CheckpointFolder? checkpoints, TrainingCheckpoint? resumeFrom)
    {
        var model = built;
        // Token data sets are known only once read (their vocabulary and labels): only then is the model built again.
        ModelShape shape = ShapeOf(data);
        if (!SameShape(shape, builtFor))
        {
            model.Dispose();
            ModelMemory.Check(spec.Model, shape, spec.Trainer.BatchSize);
            model = BuildWithHooks(spec, shape, noise);
        }
        using var owned = model;
        Objective objective = ObjectiveOf(data);
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

    /// <summary>
    /// Checks <paramref name="spec"/> before anything is loaded (noise, schedule, data set name, monitor, the model's
    /// memory; the model itself is checked by building it), sets the thread count, and parses its noise plans.
    /// </summary>
    internal static NoiseSpec[] Prepare(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Trainer.Validate();
        if (spec.Threads < 1)
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Threads, "The thread count must be at least 1.");
        RunRequirements.CheckAllButTheModelBuild(spec);
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

    // The model for samples of shape, on its dtype and device, with the modules its hooked noise attaches to checked
    // (attached and taken off again: the injectors that train are made later, once).
    private static nn.Module<Tensor, Tensor> BuildWithHooks(RunSpec spec, ModelShape shape, NoiseSpec[] noise)
    {
        var model = RunRequirements.Build(spec.Model, shape, spec.Trainer.Seed);
        try
        {
            if (spec.DType != ScalarType.Float32)
                model.to(spec.DType);
            if (spec.Device != "cpu")
                model.to(new Device(spec.Device));
            foreach (NoiseSpec plan in noise.Where(RunRequirements.IsHooked))
                (plan.Create(model) as IDisposable)?.Dispose();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static bool SameShape(ModelShape a, ModelShape b) =>
        a.SampleShape.SequenceEqual(b.SampleShape) && a.Outputs == b.Outputs && a.VocabularySize == b.VocabularySize;
}
