using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Data;

/// <summary>
/// One fold of k-fold cross-validation over a training pool: a seeded permutation of the pool is cut
/// into <see cref="Folds"/> consecutive parts whose sizes differ by at most one (the first
/// <c>count mod k</c> parts get the extra sample); part <see cref="Index"/> becomes the validation set
/// and the others the training set (both kept in pool order). The permutation depends only on
/// <see cref="Seed"/> and the pool size, so the k folds of one seed partition the pool exactly and
/// every run that asks for fold i, whatever its run seed, is judged on the same samples.
/// </summary>
/// <param name="Folds">How many parts the pool is cut into (k ≥ 2).</param>
/// <param name="Index">Which part is the validation set, from 0 to k − 1.</param>
/// <param name="Seed">Seed of the permutation; 0 by default.</param>
public sealed record CrossValidationFold(int Folds, int Index, long Seed = 0)
{
    /// <summary>The sorted pool indices of the training and validation parts of a pool of <paramref name="count"/> samples.</summary>
    /// <exception cref="ArgumentException">The fold is malformed, or the pool has fewer samples than folds.</exception>
    public (long[] Train, long[] Validation) Indices(int count)
    {
        if (Folds < 2)
            throw new ArgumentException($"Cross-validation needs at least 2 folds; got {Folds}.", nameof(Folds));
        if (Index < 0 || Index >= Folds)
            throw new ArgumentException($"The fold index must be between 0 and {Folds - 1}; got {Index}.", nameof(Index));
        RequireSamples(Folds, count);
        int start = Index * (count / Folds) + Math.Min(Index, count % Folds);
        int size = count / Folds + (Index < count % Folds ? 1 : 0);
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)Seed);
        Tensor permutation = randperm(count, generator: generator);
        long[] validation = permutation.narrow(0, start, size).sort().Values.data<long>().ToArray();
        long[] train = cat([permutation.narrow(0, 0, start), permutation.narrow(0, start + size, count - start - size)]).sort().Values.data<long>().ToArray();
        return (train, validation);
    }

    /// <summary>Throws unless a pool of <paramref name="count"/> samples can be cut into <paramref name="folds"/> non-empty folds.</summary>
    /// <exception cref="ArgumentException">There are fewer samples than folds.</exception>
    public static void RequireSamples(int folds, int count)
    {
        if (count < folds)
            throw new ArgumentException($"Cross-validation with {folds} folds needs at least {folds} training samples; the training split holds {count}.", nameof(count));
    }

    /// <summary>Splits <paramref name="pool"/> into (train, validation) for this fold; <paramref name="pool"/> is left as it is.</summary>
    public (InMemoryDataset Train, InMemoryDataset Validation) Apply(InMemoryDataset pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var (trainIndices, validationIndices) = Indices(pool.Count);
        using Tensor trainIds = tensor(trainIndices), validationIds = tensor(validationIndices);
        return (pool.Subset(trainIds), pool.Subset(validationIds));
    }
}
