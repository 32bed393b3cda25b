using NoiseLab.Models;

namespace NoiseLab.Experiments;

/// <summary>
/// What one replica of a stacked run needs in memory, estimated from its spec, to bound how many replicas one
/// stacked run holds: its parameters with their gradient, two optimizer moments, the epoch-start copy and its
/// checkpoint's copies (8 floats each), and a step's kept activations (<see cref="ModelMemory.Estimate"/>) with
/// their gradients and the dropout masks (2 floats each per sample).
/// </summary>
public static class StackedMemory
{
    /// <summary>Bytes per replica of <paramref name="spec"/> on its data set; null when its size is not known from the spec.</summary>
    public static double? PerReplica(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ModelShape shape = DataSetNames.ShapeOf(spec.DataSet);
        if (ModelMemory.Estimate(spec.Model, shape) is not { } footprint)
            return null;
        long batch = spec.Trainer.BatchSize;
        return sizeof(float) * (8 * footprint.Parameters + batch * 2 * footprint.ActivationsPerSample);
    }

    /// <summary>How many replicas of <paramref name="spec"/> one stacked run may hold under <paramref name="options"/>.</summary>
    public static int MaxReplicas(RunSpec spec, StackingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        double budget = options.MaxMemoryMegabytes * (double)(1 << 20);
        int byMemory = PerReplica(spec) is double bytes ? (int)Math.Min(int.MaxValue, Math.Floor(budget / bytes)) : 1;
        return Math.Max(1, Math.Min(options.MaxReplicas, byMemory));
    }
}
