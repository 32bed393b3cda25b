namespace NoiseLab.Experiments;

/// <summary>What one worker did with a sweep.</summary>
/// <param name="Trained">Runs this worker finished.</param>
/// <param name="AlreadyDone">Runs of its shard that were finished before it started.</param>
/// <param name="Diverged">Runs whose loss stopped being finite.</param>
/// <param name="Failed">Runs that could not be run (the store says why).</param>
/// <param name="Interrupted">Runs it stopped on request; they resume from their last checkpoint.</param>
public sealed record SweepOutcome(int Trained, int AlreadyDone, int Diverged, int Failed, int Interrupted)
{
    /// <summary>Runs the sweep's pruner stopped (<see cref="RunStatus.Pruned"/>).</summary>
    public int Pruned { get; init; }
}
