using System.Diagnostics;
using System.Globalization;
using NoiseLab.Noise;

namespace NoiseLab.Cli.Bench;

/// <summary>
/// Peak resident memory of a short before-GD run on simplecnn (22.9M parameters) against a plain
/// run, each in a fresh child process (Linux's VmHWM): memory.simplecnn.extra_parameter_buffers is
/// the difference in units of one parameter-sized float buffer; the goal is at most 1.
/// </summary>
internal static class PeakMemory
{
    private const string Marker = "peak_rss_kb ";

    /// <summary>Child kinds: a plain run and a run perturbed before the gradient.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["plain", "perturb_before_all"];

    /// <summary>
    /// Starts one child per kind with <paramref name="childArguments"/>(kind) and records the peaks;
    /// the child runs <see cref="RunChild"/>.
    /// </summary>
    public static void Run(Func<string, IReadOnlyList<string>> childArguments, BenchResults results, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(childArguments);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(log);
        var peaks = new Dictionary<string, (double Kilobytes, long Parameters)>();
        foreach (string kind in Kinds)
        {
            ProcessStartInfo start = SelfProcess.StartInfo(childArguments(kind));
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            using Process process = Process.Start(start)!;
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            string? line = output.Split('\n').FirstOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
            if (process.ExitCode != 0 || line is null)
                throw new InvalidOperationException($"The memory probe '{kind}' failed (exit {process.ExitCode}): {error.Result.Trim()}");
            string[] parts = line[Marker.Length..].Split(' ');
            peaks[kind] = (double.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        var (plain, parameters) = peaks["plain"];
        double perturbed = peaks["perturb_before_all"].Kilobytes;
        double bufferKilobytes = parameters * sizeof(float) / 1024.0;
        results.Add("memory.simplecnn.parameters", parameters);
        results.Add("memory.simplecnn.plain_peak_mb", plain / 1024);
        results.Add("memory.simplecnn.perturb_before_peak_mb", perturbed / 1024);
        results.Add("memory.simplecnn.extra_parameter_buffers", (perturbed - plain) / bufferKilobytes);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"peak RSS, simplecnn ({parameters:N0} parameters, {bufferKilobytes / 1024:F1} MiB each buffer): plain {plain / 1024:F0} MiB, before-GD {perturbed / 1024:F0} MiB, extra {(perturbed - plain) / bufferKilobytes:F2} buffers"));
    }

    /// <summary>The child's work: a few steps of simplecnn, then one line "peak_rss_kb KB PARAMETERS" on stdout.</summary>
    public static void RunChild(string kind, int steps, int batchSize, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!Kinds.Contains(kind))
            throw new ArgumentException($"Unknown memory probe '{kind}'; expected {string.Join(" or ", Kinds)}.", nameof(kind));
        using var workload = Workload.SimpleCnn(steps, batchSize);
        using var injector = kind == "plain" ? null : new WeightPerturbation(NoiseSettings.Gaussian(0.001), PerturbationTiming.BeforeGradient);
        workload.Train(injector);
        string? peak = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        long kilobytes = peak is null ? 0 : long.Parse(peak["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Marker}{kilobytes} {workload.ParameterCount}"));
    }
}
