using NoiseLab.Training;

namespace NoiseLab.Experiments.Pruning;

/// <summary>
/// How a sweep prunes hopeless runs, with Optuna's <c>MedianPruner</c> meanings: after <see cref="Warmup"/>
/// epochs, a run whose best <see cref="Monitor"/> so far is worse than the median of the finished runs of its
/// configuration at the same epoch is stopped and stored as <see cref="RunStatus.Pruned"/>, once at least
/// <see cref="MinRuns"/> of them have that epoch (Optuna's n_startup_trials).
/// </summary>
public sealed record PruningOptions
{
    /// <summary>The figure compared (<see cref="EpochMonitor"/>); val_loss by default.</summary>
    public string Monitor { get; init; } = "val_loss";

    /// <summary>Whether lower or higher is better; null guesses from the name.</summary>
    public MonitorMode? Mode { get; init; }

    /// <summary>Epochs a run trains before it can be pruned (Optuna's n_warmup_steps; default 0).</summary>
    public int Warmup { get; init; }

    /// <summary>Finished runs of the configuration that must have reached the epoch before anything is pruned there (default 5, as Optuna's n_startup_trials).</summary>
    public int MinRuns { get; init; } = 5;

    /// <summary>Checks the values; throws with a message that names the bad one.</summary>
    public void Validate()
    {
        _ = new EpochMonitor(Monitor, Mode);
        if (Warmup < 0)
            throw new ArgumentException($"The pruning warmup must be a number of epochs, 0 or more, not {Warmup}.", nameof(Warmup));
        if (MinRuns < 1)
            throw new ArgumentException($"The pruning min_runs must be at least 1, not {MinRuns}.", nameof(MinRuns));
    }
}
