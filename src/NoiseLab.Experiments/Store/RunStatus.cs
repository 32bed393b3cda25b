namespace NoiseLab.Experiments;

/// <summary>The states of a run in a <see cref="RunStore"/>.</summary>
public static class RunStatus
{
    /// <summary>Not started.</summary>
    public const string Pending = "pending";

    /// <summary>Claimed by a worker whose heartbeat is fresh; a stale one is reclaimed by another worker.</summary>
    public const string Running = "running";

    /// <summary>Stopped on request (SIGTERM, Ctrl-C) or by a failed checkpoint write; resumes from its last checkpoint.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>Done; its final figures are stored.</summary>
    public const string Finished = "finished";

    /// <summary>Its loss stopped being finite; a result of the grid, counted against success rates.</summary>
    public const string Diverged = "diverged";

    /// <summary>Could not be run (its checkpoints belong to another configuration, or an unexpected error); the error says why.</summary>
    public const string Failed = "failed";

    /// <summary>
    /// Stopped by the sweep's pruner after the warm-up because its monitored figure was worse than the median
    /// of the finished runs of its configuration at the same epoch; never trained again, counted against success rates.
    /// </summary>
    /// <remarks>Stored as text like every state, so a schema-2 store holds it as it is: no migration. An older NoiseLab neither claims it nor counts it as finished.</remarks>
    public const string Pruned = "pruned";

    /// <summary>Every state, in the order status lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Running, Interrupted, Finished, Diverged, Pruned, Failed];
}
