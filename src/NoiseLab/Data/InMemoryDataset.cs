using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Data;

/// <summary>
/// A data set held in memory as two tensors: features (first dimension = samples) and targets.
/// Batches are taken by index (<see cref="Gather"/>) or as contiguous views (<see cref="Slice"/>),
/// so an epoch allocates no per-sample objects. The data set owns its tensors.
/// </summary>
public sealed class InMemoryDataset : IDisposable
{
    /// <summary>Wraps <paramref name="features"/> and <paramref name="targets"/>; both must have the same number of samples.</summary>
    public InMemoryDataset(Tensor features, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.shape.Length == 0 || targets.shape.Length == 0 || features.shape[0] != targets.shape[0])
            throw new ArgumentException($"Features ({Describe(features)}) and targets ({Describe(targets)}) must have the same number of samples.", nameof(targets));
        Features = features;
        Targets = targets;
    }

    /// <summary>The inputs, one sample per row of the first dimension.</summary>
    public Tensor Features { get; }

    /// <summary>The targets (class indices for classification), one per sample.</summary>
    public Tensor Targets { get; }

    /// <summary>Number of samples.</summary>
    public int Count => (int)Features.shape[0];

    /// <summary>The shape of one sample's features (e.g. [1, 28, 28]).</summary>
    public long[] SampleShape => Features.shape[1..];

    /// <summary>The samples at <paramref name="indices"/> (an int64 tensor), copied into new tensors.</summary>
    public (Tensor Features, Tensor Targets) Gather(Tensor indices) =>
        (Features.index_select(0, indices), Targets.index_select(0, indices));

    /// <summary>A view of samples [start, start + length) without copying.</summary>
    public (Tensor Features, Tensor Targets) Slice(int start, int length) =>
        (Features.narrow(0, start, length), Targets.narrow(0, start, length));

    /// <summary>A new data set holding copies of the samples at <paramref name="indices"/>.</summary>
    public InMemoryDataset Subset(Tensor indices)
    {
        var (features, targets) = Gather(indices);
        return new InMemoryDataset(features, targets);
    }

    /// <summary>A new data set holding copies of the first <paramref name="count"/> samples.</summary>
    public InMemoryDataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        count = Math.Min(count, Count);
        var (features, targets) = Slice(0, count);
        // The views are held (and then freed) until the clones have read them.
        using (features)
        using (targets)
            return new InMemoryDataset(features.clone(), targets.clone());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Features.Dispose();
        Targets.Dispose();
    }

    private static string Describe(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
