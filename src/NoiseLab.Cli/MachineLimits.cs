namespace NoiseLab.Cli;

/// <summary>
/// Bounds, from this machine's cores, on the options that size threads and processes, so that a typo
/// (<c>--threads 10000</c>, <c>--jobs 256</c>) is refused in one sentence before anything starts.
/// </summary>
internal static class MachineLimits
{
    /// <summary>Threads (or worker processes) per core beyond which only contention grows.</summary>
    public const int PerCore = 4;

    /// <summary>The most TorchSharp threads one process may ask for.</summary>
    public static int MaxThreads => PerCore * Environment.ProcessorCount;

    /// <summary>The most worker processes one sweep may start on this machine.</summary>
    public static int MaxJobs => PerCore * Environment.ProcessorCount;

    /// <summary>Throws unless <paramref name="threads"/> is from 1 to <see cref="MaxThreads"/>.</summary>
    public static void CheckThreads(int threads)
    {
        if (threads < 1 || threads > MaxThreads)
            throw new UsageException($"--threads must be from 1 to {MaxThreads} ({PerCore} per core on this machine's {Environment.ProcessorCount}); got {threads}.");
    }
}
