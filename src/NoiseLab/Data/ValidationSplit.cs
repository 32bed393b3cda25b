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

    /// <summary>Splits <paramref name="full"/> into (train, validation); <paramref name="full"/> is left as it is.</summary>
    public (InMemoryDataset Train, InMemoryDataset Validation) Apply(InMemoryDataset full)
    {
        ArgumentNullException.ThrowIfNull(full);
        if (Size < 1 || Size >= full.Count)
            throw new ArgumentOutOfRangeException(nameof(Size), Size, $"The validation size must be between 1 and {full.Count - 1} (the training file holds {full.Count} samples).");

        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)Seed);
        Tensor permutation = randperm(full.Count, generator: generator);
        Tensor validationIndices = permutation.narrow(0, 0, Size).sort().Values;
        Tensor trainIndices = permutation.narrow(0, Size, full.Count - Size).sort().Values;
        var train = full.Subset(trainIndices);
        var validation = full.Subset(validationIndices);
        train.Features.MoveToOuterDisposeScope();
        train.Targets.MoveToOuterDisposeScope();
        validation.Features.MoveToOuterDisposeScope();
        validation.Targets.MoveToOuterDisposeScope();
        return (train, validation);
    }
}
