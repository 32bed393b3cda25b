using NoiseLab.Configuration;
using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Optimization;
using TorchSharp;

namespace NoiseLab.Experiments;

/// <summary>
/// Checks everything a run needs before anything is loaded or trained: the data set's name and options,
/// the learning-rate schedule, the noise plans, the model's size and arguments, and the modules that
/// activation and embedding noise hook into (by building the model for its data's shape and attaching
/// the hooks). A typo costs milliseconds, not a data load, and a sweep refuses it before any run starts.
/// </summary>
public static class RunRequirements
{
    /// <summary>Throws on the first thing <paramref name="spec"/> asks for that cannot be done, building the model to check it.</summary>
    /// <exception cref="ArgumentException">The message names the value, the rule and the fix.</exception>
    public static void Check(RunSpec spec)
    {
        CheckAllButTheModelBuild(spec);
        CheckModel(spec.Model, spec.DataSet, [.. spec.Noise.Select(text => NoiseSpec.Parse(text, spec.Trainer.Epochs))], spec.Trainer.BatchSize);
    }

    /// <summary>
    /// Throws on the first thing <paramref name="spec"/> asks for that cannot be done, up to building the model:
    /// noise plans, schedule, data set, monitor and the model's memory. <see cref="RunExecutor"/> builds the model
    /// itself next, before any data is read, and its hooks then check the modules noise attaches to.
    /// </summary>
    /// <exception cref="ArgumentException">The message names the value, the rule and the fix.</exception>
    public static void CheckAllButTheModelBuild(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Trainer.Validate();
        _ = spec.Noise.Select(text => NoiseSpec.Parse(text, spec.Trainer.Epochs)).ToList();
        CheckSchedule(spec.LearningRateSchedule, spec.Optimizer.LearningRate);
        DataSetNames.Check(spec.DataSet, spec.Data.LimitTrain);
        if (spec.EarlyStopping is { } stopping)
            CheckMonitor(stopping.Monitor, spec.DataSet);
        ModelMemory.Check(spec.Model, DataSetNames.ShapeOf(spec.DataSet), spec.Trainer.BatchSize);
    }

    /// <summary>
    /// Throws unless <paramref name="monitor"/> (of early stopping or pruning) names a figure that a run on
    /// <paramref name="dataSet"/> records, so that a typo such as <c>val_los</c> is refused before training,
    /// not met at the end of the first epoch.
    /// </summary>
    public static void CheckMonitor(string monitor, string dataSet)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(dataSet);
        // A diagnostic's key has a dot (sharpness.trace, adaptive.stuck); which ones a run reports depends on its callbacks.
        if (monitor.Contains('.', StringComparison.Ordinal))
            return;
        string[] figures = RecordedFigures(dataSet);
        if (!figures.Contains(monitor, StringComparer.Ordinal))
            throw new ArgumentException($"The monitor '{DataSetNames.Shorten(monitor)}' is not a figure that a run on {DataSetNames.Shorten(dataSet)} records; choose one of {string.Join(", ", figures)}, or a diagnostic's key (it has a dot, e.g. sharpness.trace).");
    }

    // The losses and the task's metrics, for the training and the validation split: what every epoch record holds.
    private static string[] RecordedFigures(string dataSet)
    {
        string[] metrics = dataSet.StartsWith("conll:", StringComparison.OrdinalIgnoreCase) ? ["token_accuracy", "entity_precision", "entity_recall", "entity_f1"]
            : DataSetNames.ShapeOf(dataSet).Outputs == 1 ? ["mse", "mae"]
            : ["accuracy"];
        return [.. new[] { "loss" }.Concat(metrics).SelectMany(m => new[] { "val_" + m, "train_" + m })];
    }

    /// <summary>Throws unless <paramref name="schedule"/> is a learning-rate schedule this NoiseLab reads.</summary>
    public static void CheckSchedule(string schedule, double learningRate)
    {
        try
        {
            LearningRateSchedule.Parse(schedule, learningRate, stepsPerEpoch: 10);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // The schedules' own sentences name the rule; .NET's generic check (every > 0) names only a parameter.
            string rule = e.Message.Contains("must be a non-negative and non-zero value", StringComparison.Ordinal) || e.Message.StartsWith($"{e.ParamName} (", StringComparison.Ordinal)
                ? $"{e.ParamName} must be greater than 0"
                : SpecArguments.Sentence(e).Split('\n')[0].TrimEnd('.');
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--lr-schedule '{DataSetNames.Shorten(schedule)}': {rule}{(e.ActualValue is { } actual && rule.Contains($"({actual})", StringComparison.Ordinal) ? "" : $"; got {e.ActualValue ?? "0"}")}."), e);
        }
    }

    /// <summary>
    /// Throws unless <paramref name="model"/> fits in memory at <paramref name="batchSize"/>, can be built for
    /// <paramref name="dataSet"/>'s samples, and has every module that <paramref name="noise"/> hooks into.
    /// </summary>
    public static void CheckModel(ModelSpec model, string dataSet, IReadOnlyList<NoiseSpec> noise, int batchSize = 128)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(noise);
        ModelShape shape = DataSetNames.ShapeOf(dataSet);
        ModelMemory.Check(model, shape, batchSize);
        using var built = Build(model, shape, seed: 0);
        foreach (NoiseSpec plan in noise.Where(IsHooked))
        {
            NoiseInjector injector = plan.Create(built);
            (injector as IDisposable)?.Dispose();
        }
    }

    /// <summary>Whether <paramref name="plan"/> attaches to named modules of the model (activation or embedding noise).</summary>
    public static bool IsHooked(NoiseSpec plan) => plan?.Place is "activation" or "embedding";

    /// <summary>
    /// Builds <paramref name="model"/> for <paramref name="shape"/> from <paramref name="seed"/>; an allocation that
    /// fails although the estimate fitted becomes one sentence.
    /// </summary>
    /// <exception cref="ArgumentException">The model's arguments are invalid for the shape, or it did not fit in memory.</exception>
    public static torch.nn.Module<torch.Tensor, torch.Tensor> Build(ModelSpec model, ModelShape shape, long seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            return ModelRegistry.Create(model, shape, seed);
        }
        catch (Exception e) when (RunFailure.IsOutOfMemory(e))
        {
            throw new ArgumentException($"The model {DataSetNames.Shorten(model.ToString())} does not fit in memory: {RunFailure.Describe(e)}", e);
        }
    }
}
