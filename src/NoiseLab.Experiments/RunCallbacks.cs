using NoiseLab.Data;
using NoiseLab.Diagnostics;
using NoiseLab.Noise;
using NoiseLab.Optimization;
using NoiseLab.Training;
using static TorchSharp.torch;

namespace NoiseLab.Experiments;

/// <summary>
/// The callbacks a <see cref="RunSpec"/> trains with, in the order they run: the learning-rate schedule, augmentation,
/// the noise plans' injectors, the sharpness probe, early stopping, then the caller's. One run's set, whether it trains
/// alone or as a replica of a stacked run; disposing it frees the injectors.
/// </summary>
internal sealed class RunCallbacks : IDisposable
{
    private readonly List<NoiseInjector> _injectors = [];

    private RunCallbacks(EarlyStopping? stopper) => Stopper = stopper;

    /// <summary>The callbacks, in order.</summary>
    public List<TrainingCallback> Callbacks { get; } = [];

    /// <summary>The run's early stopping, or null.</summary>
    public EarlyStopping? Stopper { get; }

    /// <summary>Builds the set for <paramref name="spec"/> on <paramref name="model"/> (its own module: hooks attach to it).</summary>
    public static RunCallbacks Create(RunSpec spec, IReadOnlyList<NoiseSpec> noise, nn.Module model, DataSplits data, Objective objective,
        int stepsPerEpoch, IEnumerable<TrainingCallback>? callbacks)
    {
        var run = new RunCallbacks(spec.EarlyStopping is { } stopping ? new EarlyStopping(stopping) : null);
        try
        {
            run.Callbacks.Add(new LearningRateScheduler(LearningRateSchedule.Parse(spec.LearningRateSchedule, spec.Optimizer.LearningRate, stepsPerEpoch)));
            if (spec.Augment)
                run.Callbacks.Add(new RandomCropFlip());
            foreach (NoiseSpec plan in noise)
                run._injectors.Add(Named(plan.Create(model), run._injectors));
            run.Callbacks.AddRange(run._injectors);
            if (spec.SharpnessEvery > 0)
            {
                var (inputs, targets) = data.Train.Slice(0, Math.Min(256, data.Train.Count));
                run.Callbacks.Add(new SharpnessProbe(inputs, targets, objective, spec.SharpnessEvery));
            }
            // Before the caller's callbacks, so that the records they store carry its annotations.
            if (run.Stopper is not null)
                run.Callbacks.Add(run.Stopper);
            run.Callbacks.AddRange(callbacks ?? []);
            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    /// <summary><paramref name="result"/> with what early stopping did.</summary>
    public TrainingResult Annotate(TrainingResult result) => Stopper is null ? result : result with { EarlyStopping = Stopper.Outcome };

    /// <summary>Frees the injectors' buffers.</summary>
    public void Dispose()
    {
        foreach (var injector in _injectors.OfType<IDisposable>())
            injector.Dispose();
    }

    // Two injectors of one place would share a name (and a random stream); the second becomes "place#2".
    private static NoiseInjector Named(NoiseInjector injector, List<NoiseInjector> existing)
    {
        int same = existing.Count(i => i.Name.Split('#')[0] == injector.Name);
        if (same > 0)
            injector.Rename($"{injector.Name}#{same + 1}");
        return injector;
    }
}
