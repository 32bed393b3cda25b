using NoiseLab.Training;

namespace NoiseLab.Experiments;

/// <summary>
/// A run of a sweep that ended (finished, diverged or pruned) with the epochs the store holds for it, as the report's
/// per-epoch sections read it: <paramref name="PlannedEpochs"/> is how many its spec asked for.
/// </summary>
internal sealed record EndedRun(string Configuration, string Plan, string Status, int PlannedEpochs, IReadOnlyList<EpochRecord> History)
{
    /// <summary>Whether the run trained to its end (possibly stopped early by its own early stopping), rather than diverging or being pruned.</summary>
    public bool Finished => Status == RunStatus.Finished;
}
