using NoiseLab.Checkpoints;
using NoiseLab.Data;
using NoiseLab.Diagnostics;
using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Optimization;
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
        ArgumentNullException.ThrowIfNull(spec);
        spec.Trainer.Validate();
        if (spec.Threads < 1)
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Threads, "The thread count must be at least 1.");
        // Everything the run needs (noise, schedule, data set name, monitor, the model's memory) is checked, and the
        // model built and its hooks attached, before any data is read, so a typo costs nothing.
        RunRequirements.CheckAllButTheModelBuild(spec);
        NoiseSpec[] noise = [.. spec.Noise.Select(text => NoiseSpec.Parse(text, spec.Trainer.Epochs))];
        spec.EarlyStopping?.Validate();
        torch.set_num_threads(spec.Threads);

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
        // Token data sets are known only once read (their vocabulary and labels): only then is the model built again.
        var shape = new ModelShape(data.SampleShape, data.Outputs, data.VocabularySize);
        if (!SameShape(shape, expected))
        {
            model.Dispose();
            ModelMemory.Check(spec.Model, shape, spec.Trainer.BatchSize);
            model = BuildWithHooks(spec, shape, noise);
        }
        using var owned = model;
        Objective objective = data.TagNames is { } tags ? new TaggingObjective(tags)
            : data.IsRegression ? new RegressionObjective(data.TargetScale)
            : new ClassificationObjective();
        using var optimizer = spec.Optimizer.Create(model.parameters());
        // Schedules count optimizer steps: with accumulation a step takes several batches.
        int stepsPerEpoch = Trainer.StepsPerEpoch(data.Train.Count, spec.Trainer);
        var schedule = LearningRateSchedule.Parse(spec.LearningRateSchedule, spec.Optimizer.LearningRate, stepsPerEpoch);
        var trainer = new Trainer(model, optimizer, spec.Trainer, objective).Add(new LearningRateScheduler(schedule));
        if (spec.Augment)
            trainer.Add(new RandomCropFlip());
        var injectors = new List<NoiseInjector>();
        try
        {
            foreach (NoiseSpec plan in noise)
                injectors.Add(Named(plan.Create(model), injectors));
            foreach (NoiseInjector injector in injectors)
                trainer.Add(injector);
            if (spec.SharpnessEvery > 0)
            {
                var (inputs, targets) = data.Train.Slice(0, Math.Min(256, data.Train.Count));
                trainer.Add(new SharpnessProbe(inputs, targets, objective, spec.SharpnessEvery));
            }
            // Before the caller's callbacks, so that the records they store carry its annotations.
            EarlyStopping? stopper = spec.EarlyStopping is { } stopping ? new EarlyStopping(stopping) : null;
            if (stopper is not null)
                trainer.Add(stopper);
            foreach (TrainingCallback callback in callbacks ?? [])
                trainer.Add(callback);
            if (checkpoints is not null)
                trainer.SaveCheckpoints(checkpoints);
            TrainingResult result = trainer.Fit(data, resumeFrom);
            return stopper is null ? result : result with { EarlyStopping = stopper.Outcome };
        }
        finally
        {
            foreach (var injector in injectors.OfType<IDisposable>())
                injector.Dispose();
        }
    }

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

    // Two injectors of one place would share a name (and a random stream); the second becomes "place#2".
    private static NoiseInjector Named(NoiseInjector injector, List<NoiseInjector> existing)
    {
        int same = existing.Count(i => i.Name.Split('#')[0] == injector.Name);
        if (same > 0)
            injector.Rename($"{injector.Name}#{same + 1}");
        return injector;
    }
}
