namespace NoiseLab.Training;

/// <summary>How one replica of a <see cref="StackedTrainer"/> ended: with a result, as its single run would, or with the error its single run would have thrown.</summary>
/// <param name="Slot">The replica's slot in the stacked model.</param>
/// <param name="Seed">The replica's seed.</param>
/// <param name="Result">The history and test figures; null when the replica ended with <paramref name="Error"/>.</param>
/// <param name="Error">
/// Why the replica stopped early: <see cref="TrainingDivergedException"/> when its loss stopped being finite, or
/// whatever one of its callbacks threw (a pruner, a lost lease); null when it finished.
/// </param>
public sealed record ReplicaOutcome(int Slot, long Seed, TrainingResult? Result, Exception? Error)
{
    /// <summary>Whether the replica's loss stopped being finite.</summary>
    public bool Diverged => Error is TrainingDivergedException;
}
