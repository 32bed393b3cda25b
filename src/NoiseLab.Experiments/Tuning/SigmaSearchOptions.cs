using NoiseLab.Experiments;

namespace NoiseLab.Tuning;

/// <summary>What a sigma search tries: a base run, the plan whose sigma is searched, the candidates, the seeds and the folds.</summary>
public sealed record SigmaSearchOptions
{
    /// <summary>The run every trial starts from (data, model, optimizer, epochs, ...). Its noise plans stay, the searched one is added after them; its seed is replaced by each of <see cref="Seeds"/>.</summary>
    public required RunSpec Run { get; init; }

    /// <summary>The noise plan whose sigma is searched.</summary>
    public required NoisePlanTemplate Plan { get; init; }

    /// <summary>The candidate sigmas.</summary>
    public required SigmaGrid Sigmas { get; init; }

    /// <summary>The run seeds each candidate is trained with, on each fold.</summary>
    public IReadOnlyList<long> Seeds { get; init; } = [0];

    /// <summary>
    /// k for k-fold cross-validation over the training split (<see cref="Data.CrossValidationFold"/>): each
    /// candidate and seed is trained k times, fold i being the validation set. Null: once, scored on the
    /// ordinary validation split.
    /// </summary>
    public int? Folds { get; init; }

    /// <summary>Seed of the permutation that cuts the folds; the same folds serve every candidate and seed.</summary>
    public long FoldSeed { get; init; }
}
