using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Data;

/// <summary>
/// Carves a validation set out of a training set by a seeded permutation: the first
/// <see cref="Size"/> indices of the permutation become validation, the rest training
/// (kept in file order). The same seed always gives the same split, whatever the run seed,
/// so runs with different seeds are judged on the same held-out samples.
/// </summary>
/// <param name="Size">Validation samples; 5,000 by default.</param>
/// <param name="Seed">Seed of the permutation; 0 by default.</param>
public sealed record ValidationSplit(int Size = ValidationSplit.DefaultSize, long Seed = 0)
{
    /// <summary>The default number of validation samples.</summary>
    public const int DefaultSize = 5000;

    /// <summary>The sorted sample indices of the training and validation parts of a set of <paramref name="count"/> samples.</summary>
    public (long[] Train, long[] Validation) Indices(int count)
    {
        if (Size < 1 || Size >= count)
            throw new ArgumentOutOfRangeException(nameof(Size), Size, $"The validation size must be between 1 and {count - 1} (the training file holds {count} samples).");
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)Seed);
        Tensor permutation = randperm(count, generator: generator);
        long[] validation = permutation.narrow(0, 0, Size).sort().Values.data<long>().ToArray();
        long[] train = permutation.narrow(0, Size, count - Size).sort().Values.data<long>().ToArray();
        return (train, validation);
    }

    /// <summary>Splits <paramref name="full"/> into (train, validation); <paramref name="full"/> is left as it is.</summary>
    public (InMemoryDataset Train, InMemoryDataset Validation) Apply(InMemoryDataset full)
    {
        ArgumentNullException.ThrowIfNull(full);
        var (trainIndices, validationIndices) = Indices(full.Count);
        using Tensor trainIds = tensor(trainIndices), validationIds = tensor(validationIndices);
        return (full.Subset(trainIds), full.Subset(validationIds));
    }
}
