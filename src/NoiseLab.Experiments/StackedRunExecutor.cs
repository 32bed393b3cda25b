using NoiseLab.Checkpoints;
using NoiseLab.Data;
using NoiseLab.Models.Stacked;
using NoiseLab.Noise;
using NoiseLab.Training;

namespace NoiseLab.Experiments;

/// <summary>
/// Carries out several <see cref="RunSpec"/>s that differ only in their seeds as one stacked run
/// (<see cref="StackedTrainer"/>): the data loaded once, one stacked model, and per replica the callbacks, noise,
/// checkpoints and result that <see cref="RunExecutor"/> would give its run alone.
/// </summary>
public static class StackedRunExecutor
{
    /// <summary>
    /// Whether <paramref name="spec"/> can train as a replica of a stacked run: a model of the MLP family on the CPU,
    /// and no noise that hooks into the model's modules (activation and embedding noise act inside the single module's
    /// forward pass, which the stacked pass replaces). Every other place of noise, augmentation, sharpness and early
    /// stopping act per replica.
    /// </summary>
    public static bool CanStack(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!StackedModels.Supports(spec.Model) || spec.Device != "cpu")
            return false;
        try
        {
            return spec.Noise.All(text => NoiseSpec.Parse(text, spec.Trainer.Epochs).Place is not ("activation" or "embedding"));
        }
        catch (ArgumentException)
        {
            // A plan that does not parse is refused, with its reason, by the run's own checks.
            return false;
        }
    }

    /// <summary>Trains the runs of <paramref name="slots"/> (null: an empty slot) stacked.</summary>
    /// <param name="slots">The runs, equal but for their seeds; slot r is replica r.</param>
    /// <param name="callbacks">Each slot's own observers, after its run's callbacks; null for none.</param>
    /// <param name="log">Receives progress lines about data loading; null for silence.</param>
    /// <param name="checkpoints">Per slot, where its checkpoints go (its single run's format); null for none.</param>
    /// <param name="resumeFrom">Per slot, the checkpoint to continue from; all of one epoch.</param>
    /// <param name="finished">Called as each replica ends, with its outcome (early stopping annotated).</param>
    /// <param name="stopsEveryReplica">Which errors of a replica's callbacks end them all (by default a requested stop).</param>
    /// <returns>Per slot, how its run ended; null for an empty slot.</returns>
    /// <exception cref="ArgumentException">The runs differ in more than their seeds, or cannot train stacked.</exception>
    public static IReadOnlyList<ReplicaOutcome?> Execute(IReadOnlyList<RunSpec?> slots, Func<int, IEnumerable<TrainingCallback>>? callbacks = null,
        Action<string>? log = null, IReadOnlyList<CheckpointFolder?>? checkpoints = null, IReadOnlyList<TrainingCheckpoint?>? resumeFrom = null,
        Action<ReplicaOutcome>? finished = null, Func<Exception, bool>? stopsEveryReplica = null)
    {
        var (spec, noise) = Check(slots);
        using DataSplits data = DataSetCatalog.Load(spec.DataSet, spec.Data, log);
        return Train(slots, spec, noise, data, callbacks, checkpoints, resumeFrom, finished, stopsEveryReplica);
    }

    /// <summary>Trains the runs of <paramref name="slots"/> stacked on <paramref name="data"/>, already loaded, without callbacks or checkpoints.</summary>
    public static IReadOnlyList<ReplicaOutcome?> Execute(IReadOnlyList<RunSpec?> slots, DataSplits data)
    {
        var (spec, noise) = Check(slots);
        ArgumentNullException.ThrowIfNull(data);
        return Train(slots, spec, noise, data, callbacks: null, checkpoints: null, resumeFrom: null, finished: null, stopsEveryReplica: null);
    }

    private static IReadOnlyList<ReplicaOutcome?> Train(IReadOnlyList<RunSpec?> slots, RunSpec spec, NoiseSpec[] noise, DataSplits data,
        Func<int, IEnumerable<TrainingCallback>>? callbacks, IReadOnlyList<CheckpointFolder?>? checkpoints, IReadOnlyList<TrainingCheckpoint?>? resumeFrom,
        Action<ReplicaOutcome>? finished, Func<Exception, bool>? stopsEveryReplica)
    {
        long?[] seeds = [.. slots.Select(s => s?.Trainer.Seed)];
        using StackedMlp model = StackedModels.Create(spec.Model, RunExecutor.ShapeOf(data), seeds, spec.DType);
        Objective objective = RunExecutor.ObjectiveOf(data);
        int stepsPerEpoch = Trainer.StepsPerEpoch(data.Train.Count, spec.Trainer);
        var runs = new RunCallbacks?[slots.Count];
        try
        {
            using var trainer = new StackedTrainer(model, seeds, spec.Optimizer.Create, spec.Trainer, objective);
            for (int slot = 0; slot < slots.Count; slot++)
            {
                if (slots[slot] is not { } run)
                    continue;
                runs[slot] = RunCallbacks.Create(run, noise, model.Replicas[slot]!, data, objective, stepsPerEpoch, callbacks?.Invoke(slot));
                foreach (TrainingCallback callback in runs[slot]!.Callbacks)
                    trainer.Add(slot, callback);
                if (checkpoints?[slot] is { } folder)
                    trainer.SaveCheckpoints(slot, folder);
            }
            trainer.ReplicaFinished = outcome => finished?.Invoke(Annotated(outcome, runs));
            if (stopsEveryReplica is not null)
                trainer.StopsEveryReplica = stopsEveryReplica;
            return [.. trainer.Fit(data, resumeFrom).Select(outcome => outcome is null ? null : Annotated(outcome, runs))];
        }
        finally
        {
            foreach (RunCallbacks? run in runs)
                run?.Dispose();
        }
    }

    private static (RunSpec Spec, NoiseSpec[] Noise) Check(IReadOnlyList<RunSpec?> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        RunSpec spec = slots.FirstOrDefault(s => s is not null) ?? throw new ArgumentException("A stacked run needs at least one run.", nameof(slots));
        if (slots.Any(s => s is not null && !SameButSeed(s, spec)))
            throw new ArgumentException("The runs of a stacked run must be equal but for their seeds.", nameof(slots));
        if (!CanStack(spec))
            throw new ArgumentException($"The run of {spec.Model} cannot train stacked: stacking takes the MLP family on the CPU without activation or embedding noise.", nameof(slots));
        return (spec, RunExecutor.Prepare(spec));
    }

    private static ReplicaOutcome Annotated(ReplicaOutcome outcome, RunCallbacks?[] runs) =>
        outcome.Result is { } result ? outcome with { Result = runs[outcome.Slot]!.Annotate(result) } : outcome;

    private static bool SameButSeed(RunSpec a, RunSpec b)
    {
        static string Key(RunSpec s) => System.Text.Json.JsonSerializer.Serialize(s with { Trainer = s.Trainer with { Seed = 0 } });
        return Key(a) == Key(b);
    }
}
