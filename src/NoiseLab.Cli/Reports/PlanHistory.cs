using NoiseLab.Training;

namespace NoiseLab.Cli.Reports;

/// <summary>The epoch histories of one noise plan's finished runs in one configuration, one per seed.</summary>
internal sealed record PlanHistory(string Plan, IReadOnlyList<IReadOnlyList<EpochRecord>> Seeds)
{
    /// <summary>
    /// The histories of the plan's runs that diverged or were pruned, up to where they stopped: not in its learning
    /// curves (their means would mix in the epochs before a blow-up), but in its success rate, where they are failures
    /// from the epoch they stopped at on.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<EpochRecord>> Stopped { get; init; } = [];
}
