using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Cli.Bench;

/// <summary>
/// Noise generation into one float tensor: NoiseLab's sampler against libtorch's normal_ /
/// uniform_ on the same tensor with the same thread count, and a plain fill_ / copy_ of the same size
/// as the memory-bandwidth bound, interleaved; and whether 1 and 2 threads give the same bits.
/// </summary>
internal static class RngThroughput
{
    /// <summary>Measures with 1 and 2 threads; records rng.tN.* and, for 1 thread, the headline rng.* keys.</summary>
    public static void Run(int elements, int rounds, BenchResults results, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(log);
        int previous = torch.get_num_threads();
        using Tensor target = empty(elements), source = ones(elements);
        var key = new NoiseKey(12345, 0, 0);
        long draw = 0;
        results.Add("rng.elements", elements);
        foreach (int threads in new[] { 1, 2 })
        {
            torch.set_num_threads(threads);
            var timings = Interleaved.Compare(
                new Interleaved.Case("torch_normal", "libtorch normal_", () => target.normal_()),
                [
                    new("gaussian", "NoiseLab Gaussian", () => NoiseSampler.Fill_(target, NoiseDistribution.Gaussian, 1f, key.WithDraw(draw++), threads)),
                    new("torch_uniform", "libtorch uniform_", () => target.uniform_(-1, 1)),
                    new("uniform", "NoiseLab uniform", () => NoiseSampler.Fill_(target, NoiseDistribution.Uniform, 1f, key.WithDraw(draw++), threads)),
                    new("fill", "bound: fill_", () => target.fill_(0.5f)),
                    new("copy", "bound: copy_", () => target.copy_(source)),
                ],
                rounds);
            Interleaved.Print(log, $"generator: {elements:N0} floats, {threads} thread(s), {rounds} rounds", timings);
            var byKey = timings.ToDictionary(t => t.Key);
            string prefix = $"rng.t{threads}.";
            foreach (CaseTiming timing in timings)
                results.Add(prefix + timing.Key + "_samples_per_s", elements / (timing.Milliseconds.Median / 1000));
            // Same-round ratios: the speed-up over libtorch is the inverse of time(NoiseLab) / time(libtorch).
            results.Add(prefix + "gaussian_speedup_vs_torch", 1 / byKey["gaussian"].Ratio.Median);
            results.Add(prefix + "uniform_speedup_vs_torch", byKey["torch_uniform"].Ratio.Median / byKey["uniform"].Ratio.Median);
            results.Add(prefix + "gaussian_over_fill", byKey["gaussian"].Ratio.Median / byKey["fill"].Ratio.Median);
            results.Add(prefix + "gaussian_over_copy", byKey["gaussian"].Ratio.Median / byKey["copy"].Ratio.Median);
            if (threads == 1)
            {
                results.Add("rng.gaussian_speedup_vs_torch", 1 / byKey["gaussian"].Ratio.Median);
                results.Add("rng.uniform_speedup_vs_torch", byKey["torch_uniform"].Ratio.Median / byKey["uniform"].Ratio.Median);
                results.Add("rng.gaussian_over_fill", byKey["gaussian"].Ratio.Median / byKey["fill"].Ratio.Median);
            }
        }
        torch.set_num_threads(previous);
        results.Add("rng.identical_1_vs_2_threads", SameBits(Math.Min(elements, 1 << 20)) ? 1 : 0);
        foreach (ScalarType dtype in new[] { ScalarType.Float64, ScalarType.BFloat16 })
            GenericPath(elements, rounds, dtype, results, log);
    }

    /// <summary>
    /// The generic path (tensors the AES kernel cannot write) against libtorch's normal_ on the same tensor:
    /// the cost of keying a generator per draw, and for half precision of drawing in float32 and rounding.
    /// </summary>
    private static void GenericPath(int elements, int rounds, ScalarType dtype, BenchResults results, TextWriter log)
    {
        using Tensor target = empty([elements], dtype: dtype);
        var key = new NoiseKey(54321, 0, 0);
        long draw = 0;
        var timings = Interleaved.Compare(
            new Interleaved.Case("torch_normal", "libtorch normal_", () => target.normal_()),
            [new("gaussian", "NoiseLab Gaussian (generic path)", () => NoiseSampler.Fill_(target, NoiseDistribution.Gaussian, 1f, key.WithDraw(draw++)))],
            rounds);
        string name = dtype == ScalarType.Float64 ? "float64" : "bfloat16";
        Interleaved.Print(log, $"generic path: {elements:N0} {name} values, {torch.get_num_threads()} thread(s), {rounds} rounds", timings);
        var byKey = timings.ToDictionary(t => t.Key);
        results.Add($"rng.generic.{name}.gaussian_samples_per_s", elements / (byKey["gaussian"].Milliseconds.Median / 1000));
        results.Add($"rng.generic.{name}.gaussian_time_over_torch", byKey["gaussian"].Ratio.Median);
    }

    private static bool SameBits(int elements)
    {
        var one = new float[elements];
        var two = new float[elements];
        var key = new NoiseKey(777, 1, 2);
        foreach (NoiseDistribution distribution in Enum.GetValues<NoiseDistribution>())
        {
            NoiseSampler.Fill(one, distribution, 1f, key, maxThreads: 1);
            NoiseSampler.Fill(two, distribution, 1f, key, maxThreads: 2);
            if (!one.AsSpan().SequenceEqual(two))
                return false;
        }
        return true;
    }
}
