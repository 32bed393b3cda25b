namespace NoiseLab.Experiments;

/// <summary>
/// How a sweep packs the seeds of one configuration and noise plan into stacked runs (the spec's <c>stacking</c>
/// key): on by default, at most <see cref="MaxReplicas"/> replicas, and no more than fit in <see cref="MaxMemoryMegabytes"/>
/// by <see cref="StackedMemory"/>'s estimate.
/// </summary>
public sealed record StackingOptions
{
    /// <summary>Whether runs that can train stacked do.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The most replicas in one stacked run.</summary>
    public int MaxReplicas { get; init; } = 32;

    /// <summary>The memory one stacked run may take, in MiB.</summary>
    public int MaxMemoryMegabytes { get; init; } = 1024;

    /// <summary>Stacking off: every run trains alone.</summary>
    public static StackingOptions Off { get; } = new() { Enabled = false };

    /// <summary>Throws with the key's name when a value is out of range.</summary>
    public void Validate()
    {
        if (MaxReplicas < 1 || MaxReplicas > 1024)
            throw new ArgumentOutOfRangeException(nameof(MaxReplicas), MaxReplicas, "stacking.max_replicas must be from 1 to 1024.");
        if (MaxMemoryMegabytes < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxMemoryMegabytes), MaxMemoryMegabytes, "stacking.max_memory_mb must be at least 1.");
    }
}
