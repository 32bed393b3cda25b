using System.Diagnostics;
using System.Globalization;

namespace NoiseLab.Cli.Bench;

/// <summary>
/// Runs per hour of a small sweep with <c>noiselab sweep --jobs 1</c> and <c>--jobs 2</c> (the
/// threads split between the jobs), each into a fresh store: sweep.runs_per_hour.jobsN and
/// sweep.jobs2_speedup, to choose the default.
/// </summary>
internal static class SweepThroughput
{
    /// <summary>Sweeps <paramref name="seeds"/> seeds × 2 noise plans of a small MLP on synthetic data.</summary>
    public static void Run(int seeds, int epochs, BenchResults results, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(log);
        string folder = Path.Combine(Path.GetTempPath(), "noiselab-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string spec = Path.Combine(folder, "bench.yaml");
            File.WriteAllText(spec, string.Create(CultureInfo.InvariantCulture, $"""
                name: bench
                data: "synthetic:adding:length=20,train=2000"
                epochs: {epochs}
                seeds: [{string.Join(", ", Enumerable.Range(0, seeds))}]
                models: ["mlp:256,256"]
                optimizers: [{"{"}optimizer: momentum, lr: 0.01{"}"}]
                noise:
                  none: []
                  gradient: ["gradient:gaussian:sigma=0.01"]
                """));
            int runs = 2 * seeds;
            var perHour = new Dictionary<int, double>();
            foreach (int jobs in new[] { 1, 2 })
            {
                ProcessStartInfo start = SelfProcess.StartInfo(["sweep", spec, "--store", Path.Combine(folder, $"jobs{jobs}.db"), "--jobs", jobs.ToString(CultureInfo.InvariantCulture)]);
                start.RedirectStandardOutput = true;
                start.RedirectStandardError = true;
                long begin = Stopwatch.GetTimestamp();
                using Process process = Process.Start(start)!;
                Task<string> error = process.StandardError.ReadToEndAsync();
                process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                double seconds = Stopwatch.GetElapsedTime(begin).TotalSeconds;
                if (process.ExitCode != 0)
                    throw new InvalidOperationException($"The bench sweep with --jobs {jobs} failed (exit {process.ExitCode}): {error.Result.Trim()}");
                perHour[jobs] = runs / seconds * 3600;
                results.Add($"sweep.runs_per_hour.jobs{jobs}", perHour[jobs]);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sweep of {runs} runs with --jobs {jobs}: {seconds:F1} s, {perHour[jobs]:F0} runs per hour"));
            }
            results.Add("sweep.jobs2_speedup", perHour[2] / perHour[1]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
