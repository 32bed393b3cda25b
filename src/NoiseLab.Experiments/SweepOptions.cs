namespace NoiseLab.Experiments;

/// <summary>How a worker runs its share of a sweep.</summary>
public sealed record SweepOptions
{
    /// <summary>TorchSharp threads per run; results are bit-identical only for the same count, and for a stacked run's replicas reliably only at one (docs/reliability.md).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>This worker's shard, from 0; it takes only runs whose grid position modulo <see cref="Shards"/> equals it.</summary>
    public int Shard { get; init; }

    /// <summary>How many shards the grid is split into (1: the whole grid).</summary>
    public int Shards { get; init; } = 1;

    /// <summary>The folder under which each run keeps its checkpoints; a run's folder is deleted once it is stored.</summary>
    public required string CheckpointRoot { get; init; }

    /// <summary>When set, each run writes TensorBoard event files into its own folder under this one.</summary>
    public string? TensorBoardRoot { get; init; }

    /// <summary>With <see cref="TensorBoardRoot"/>: also write parameter and gradient histograms each epoch.</summary>
    public bool TensorBoardHistograms { get; init; }

    /// <summary>How long a run's heartbeat may be silent before another worker takes the run over.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a worker renews the lease of the run it trains.</summary>
    public TimeSpan HeartbeatEvery { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>This worker's name in the store.</summary>
    public string Worker { get; init; } = Experiments.Worker.Current;

    /// <summary>Stops the worker: the current step finishes, the run is marked interrupted (it resumes from its last checkpoint), and no new run is taken.</summary>
    public CancellationToken Stop { get; init; }

    /// <summary>Receives a line per run and warnings.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Checks the values; throws with a message that names the bad one.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfLessThan(Shards, 1, nameof(Shards));
        if (Shard < 0 || Shard >= Shards)
            throw new ArgumentOutOfRangeException(nameof(Shard), Shard, $"The shard must be from 0 to {Shards - 1}.");
        ArgumentException.ThrowIfNullOrWhiteSpace(CheckpointRoot);
        if (HeartbeatEvery <= TimeSpan.Zero || StaleAfter <= HeartbeatEvery)
            throw new ArgumentOutOfRangeException(nameof(StaleAfter), StaleAfter, "A run's lease must outlast several heartbeats.");
    }
}
