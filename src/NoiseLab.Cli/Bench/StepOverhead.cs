using NoiseLab.Noise;

namespace NoiseLab.Cli.Bench;

/// <summary>
/// Per-step cost of each place of noise: the trainer with one injector against the same trainer
/// without noise on the same model and data, interleaved; each ratio is noisy time / plain time.
/// </summary>
internal static class StepOverhead
{
    /// <summary>Measures <paramref name="cases"/> on <paramref name="workload"/>, records overhead.KEY and prints a table.</summary>
    public static void Run(Workload workload, IReadOnlyList<NoiseCase> cases, int rounds, BenchResults results, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(log);
        Action With(NoiseCase? noise) => () =>
        {
            NoiseInjector? injector = noise?.Create(workload.Model);
            workload.Train(injector);
            (injector as IDisposable)?.Dispose();
        };
        var timings = Interleaved.Compare(
            new Interleaved.Case("plain", "trainer, no noise", With(null)),
            [.. cases.Select(c => new Interleaved.Case(c.Key, c.Name, With(c)))],
            rounds);
        Interleaved.Print(log, $"per-step overhead: {workload.ModelName}, batch {workload.BatchSize}, {rounds} rounds of {workload.Steps} steps, threads {TorchSharp.torch.get_num_threads()}", timings);
        results.Add($"overhead.{workload.Key}plain_step_ms", timings[0].Milliseconds.Median / workload.Steps);
        foreach (CaseTiming timing in timings.Skip(1))
            results.AddSpread($"overhead.{workload.Key}{timing.Key}", timing.Ratio);
    }
}
