using System.Globalization;
using NoiseLab.Noise;
using NoiseLab.Training;

namespace NoiseLab.Cli.Bench;

/// <summary>
/// Per-step cost of each place of noise: the trainer with one injector against the same trainer
/// without noise on the same model and data, interleaved; each ratio is the noisy run's step time
/// (<see cref="StepClock"/>) over the plain run's in the same round. For injectors that act at the
/// loop's moments it also records their own work per step (<see cref="TimedCallback"/>) and the
/// ratio that work alone gives, (plain step + work) / plain step: a steadier figure on a noisy
/// machine, which leaves out only indirect costs such as caches the noise evicted.
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
        var direct = new Dictionary<string, List<double>>();
        Func<double> With(NoiseCase? noise) => () =>
        {
            NoiseInjector? injector = noise?.Create(workload.Model);
            TimedCallback? timed = injector is null or HookedNoiseInjector ? null : new TimedCallback(injector);
            double stepMilliseconds = workload.Train(timed ?? (TrainingCallback?)injector);
            (injector as IDisposable)?.Dispose();
            if (timed is not null)
                (direct.TryGetValue(noise!.Key, out var list) ? list : direct[noise.Key] = []).Add(timed.MedianStepMilliseconds());
            return stepMilliseconds;
        };
        var timings = Interleaved.Compare(
            new Interleaved.Case("plain", "trainer, no noise", With(null)),
            [.. cases.Select(c => new Interleaved.Case(c.Key, c.Name, With(c)))],
            rounds);
        Interleaved.Print(log, $"per-step overhead: {workload.ModelName}, batch {workload.BatchSize}, {rounds} rounds of {workload.Steps} steps, step time = p10 of step intervals, threads {TorchSharp.torch.get_num_threads()}", timings);
        double plain = timings[0].Milliseconds.Median;
        results.Add($"overhead.{workload.Key}plain_step_ms", plain);
        foreach (CaseTiming timing in timings.Skip(1))
            results.AddSpread($"overhead.{workload.Key}{timing.Key}", timing.Ratio);
        if (direct.Count == 0)
            return;
        log.WriteLine($"injector work per step (median over runs of each run's median), against the plain step of {plain.ToString("F2", CultureInfo.InvariantCulture)} ms");
        log.WriteLine($"{"case",-44} {"work ms",10} {"ratio",7}");
        foreach (CaseTiming timing in timings.Skip(1).Where(t => direct.ContainsKey(t.Key)))
        {
            double work = Spread.Of(direct[timing.Key]).Median;
            results.Add($"overhead.{workload.Key}{timing.Key}.direct_ms", work);
            results.Add($"overhead.{workload.Key}{timing.Key}.direct", (plain + work) / plain);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{timing.Name,-44} {work,10:F3} {(plain + work) / plain,7:F3}"));
        }
    }
}
