using System.Globalization;
using TorchSharp;

namespace NoiseLab.Cli.Bench;

/// <summary>How much of each section a bench run measures: the quick form for CI smoke runs, the full one for people.</summary>
internal sealed record BenchSizes(
    int MlpSteps, int CnnSteps, int CnnBatch, int TransformerSteps, int TransformerBatch, int OverheadRounds,
    int RngElements, int RngRounds,
    int AllocationSteps, int AllocationWarmup,
    int MemorySteps, int MemoryBatch,
    int SweepSeeds, int SweepEpochs,
    int CellRestarts, int CellSteps, int CellRounds,
    long QualitySamples)
{
    /// <summary>Under a minute on two cores: few steps and rounds, 10⁶ floats, a 2-run sweep (runs of at least two steps: a step time is the interval between two step starts).</summary>
    public static BenchSizes Quick { get; } = new(4, 2, 16, 2, 8, 1, 1_000_000, 3, 4, 2, 1, 2, 1, 1, 3, 4, 1, 1_000_000);

    /// <summary>The sizes of the issues: 10⁷ floats, 100-step runs of mlp:500,500, a 16-run sweep, a Table 1 cell of 20 restarts of 60 steps, 10⁸ samples per generator for its statistics.</summary>
    public static BenchSizes Full { get; } = new(100, 20, 128, 40, 64, 12, 10_000_000, 15, 20, 5, 3, 32, 8, 2, 20, 60, 3, 100_000_000);
}

/// <summary>
/// The sections of <c>noiselab bench</c> in order: per-step overhead of each place of noise,
/// noise generation, allocations per step, peak memory of before-GD, sweep throughput, and the
/// statistics of each generator's Gaussian noise.
/// </summary>
internal static class BenchSuite
{
    /// <summary>The sections, by the name <c>--only</c> takes.</summary>
    public static IReadOnlyList<string> Sections { get; } = ["overhead", "rng", "alloc", "memory", "sweep", "quality"];

    /// <summary>Runs <paramref name="sections"/>; memory probes start this program with <paramref name="memoryChild"/>(kind); the sweep section needs the noiselab command.</summary>
    public static BenchResults Run(BenchSizes sizes, int threads, IReadOnlyCollection<string> sections, Func<string, IReadOnlyList<string>> memoryChild, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(log);
        torch.set_num_threads(threads);
        var results = new BenchResults();
        results.Describe("machine", $"{Environment.ProcessorCount} cores, {CpuName()}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        results.Describe("runtime", $".NET {Environment.Version}, TorchSharp {typeof(torch).Assembly.GetName().Version}");
        results.Describe("threads", threads.ToString(CultureInfo.InvariantCulture));
        results.Describe("sizes", sizes == BenchSizes.Quick ? "quick" : "full");

        if (sections.Contains("overhead"))
        {
            using (var mlp = Workload.Mlp(sizes.MlpSteps, 128))
                StepOverhead.Run(mlp, Workload.WeightAndInputCases("fc1"), sizes.OverheadRounds, results, log);
            using (var cnn = Workload.TinyCnn(sizes.CnnSteps, sizes.CnnBatch))
                StepOverhead.Run(cnn, Workload.WeightAndInputCases("conv1"), sizes.OverheadRounds, results, log);
            using (var transformer = Workload.Transformer(sizes.TransformerSteps, sizes.TransformerBatch))
                StepOverhead.Run(transformer, Workload.EmbeddingCases, sizes.OverheadRounds, results, log);
        }
        if (sections.Contains("rng"))
            RngThroughput.Run(sizes.RngElements, sizes.RngRounds, results, log);
        if (sections.Contains("alloc"))
        {
            using (var mlp = Workload.Mlp(sizes.AllocationSteps, 128))
                AllocationSection.Run(mlp, Workload.WeightAndInputCases("fc1"), sizes.AllocationWarmup, results, log);
            using (var transformer = Workload.Transformer(sizes.AllocationSteps, sizes.TransformerBatch))
                AllocationSection.Run(transformer, Workload.EmbeddingCases, sizes.AllocationWarmup, results, log);
        }
        if (sections.Contains("memory"))
            PeakMemory.Run(memoryChild, results, log);
        if (sections.Contains("sweep"))
        {
            SweepThroughput.Run(sizes.SweepSeeds, sizes.SweepEpochs, results, log);
            double oneAtATime = Table1CellThroughput.Run(sizes.CellRestarts, sizes.CellSteps, sizes.CellRounds, threads, results, log);
            StackingCeiling.Run(sizes.CellRestarts, sizes.CellSteps, sizes.CellRounds, oneAtATime, results, log);
        }
        if (sections.Contains("quality"))
            GaussianQuality.Run(sizes.QualitySamples, results, log);
        return results;
    }

    private static string CpuName()
    {
        const string path = "/proc/cpuinfo";
        string? line = File.Exists(path) ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
