using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Cli.Bench;

/// <summary>
/// Noise generation into one float tensor: NoiseLab's sampler (the default generator, and every other one
/// in the same rounds) against libtorch's normal_ / uniform_ on the same tensor with the same thread count,
/// and a plain fill_ / copy_ of the same size as the memory-bandwidth bound, interleaved; the same for a
/// tensor that stays in the L2 cache, as the draws inside a training step do; and whether 1 and 2 threads
/// give the same bits, for every generator.
/// </summary>
internal static class RngThroughput
{
    // The fill_ baseline's value, held for the process: a temporary Scalar could be freed by a collection mid-call.
    private static readonly Scalar FillValue = 0.5f.ToScalar();

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
        results.Describe("rng.generator", NoiseGenerator.Default.Name);
        results.Describe("rng.keystream_instructions", NoiseGenerator.KeystreamInstructions);
        foreach (int threads in new[] { 1, 2 })
        {
            torch.set_num_threads(threads);
            var timings = Interleaved.Compare(
                new Interleaved.Case("torch_normal", "libtorch normal_", () => target.normal_()),
                [
                    new("gaussian", $"NoiseLab Gaussian ({NoiseGenerator.Default.Name})", () => NoiseSampler.Fill_(target, NoiseDistribution.Gaussian, 1f, key.WithDraw(draw++), threads)),
                    .. OtherGenerators.Select(g => new Interleaved.Case("gaussian_" + KeyOf(g), $"NoiseLab Gaussian ({g.Name})", () =>
                    {
                        using (NoiseGenerator.Use(g))
                            NoiseSampler.Fill_(target, NoiseDistribution.Gaussian, 1f, key.WithDraw(draw++), threads);
                    })),
                    new("torch_uniform", "libtorch uniform_", () => target.uniform_(-1, 1)),
                    new("uniform", "NoiseLab uniform", () => NoiseSampler.Fill_(target, NoiseDistribution.Uniform, 1f, key.WithDraw(draw++), threads)),
                    new("fill", "bound: fill_", () => target.fill_(FillValue)),
                    new("copy", "bound: copy_", () => target.copy_(source)),
                ],
                rounds);
            Interleaved.Print(log, $"generator: {elements:N0} floats, {threads} thread(s), {rounds} rounds", timings);
            var byKey = timings.ToDictionary(t => t.Key);
            string prefix = $"rng.t{threads}.";
            foreach (CaseTiming timing in timings)
            {
                results.Add(prefix + timing.Key + "_samples_per_s", elements / (timing.Milliseconds.Median / 1000));
                results.Add(prefix + timing.Key + "_ns_per_sample", timing.Milliseconds.Median * 1e6 / elements);
            }
            foreach (NoiseGenerator other in OtherGenerators)
                results.Add($"{prefix}gaussian_{KeyOf(other)}_time_over_default", byKey["gaussian_" + KeyOf(other)].Ratio.Median / byKey["gaussian"].Ratio.Median);
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
        InCache(rounds, results, log);
        torch.set_num_threads(previous);
        results.Add("rng.identical_1_vs_2_threads", NoiseGenerator.All.All(g => SameBits(Math.Min(elements, 1 << 20), g)) ? 1 : 0);
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

    private static IEnumerable<NoiseGenerator> OtherGenerators => NoiseGenerator.All.Where(g => g != NoiseGenerator.Default);

    // A generator's name as a key part: aes128-boxmuller-v1 → aes128_boxmuller_v1.
    private static string KeyOf(NoiseGenerator generator) => generator.Name.Replace('-', '_');

    /// <summary>
    /// One thread drawing 2¹⁶ floats (256 kB) again and again, each generator against a fill_: the cost of the
    /// keystream and the transform without the trip to memory, which is what a step's gradient-sized draw pays.
    /// </summary>
    private static void InCache(int rounds, BenchResults results, TextWriter log)
    {
        const int Elements = 1 << 16, Repeats = 200;
        torch.set_num_threads(1);
        using Tensor target = empty(Elements);
        var key = new NoiseKey(4242, 0, 0);
        long draw = 0;
        Action Repeated(Action once) => () =>
        {
            for (int i = 0; i < Repeats; i++)
                once();
        };
        var timings = Interleaved.Compare(
            new Interleaved.Case("fill", "bound: fill_", Repeated(() => target.fill_(FillValue))),
            [.. NoiseGenerator.All.Select(g => new Interleaved.Case(KeyOf(g), $"NoiseLab Gaussian ({g.Name})", Repeated(() =>
            {
                using (NoiseGenerator.Use(g))
                    NoiseSampler.Fill_(target, NoiseDistribution.Gaussian, 1f, key.WithDraw(draw++), 1);
            })))],
            rounds);
        Interleaved.Print(log, $"generator in cache: {Elements:N0} floats × {Repeats}, 1 thread, {rounds} rounds", timings);
        foreach (CaseTiming timing in timings)
            results.Add($"rng.in_cache.{timing.Key}_ns_per_sample", timing.Milliseconds.Median * 1e6 / ((double)Elements * Repeats));
    }

    private static bool SameBits(int elements, NoiseGenerator generator)
    {
        using var scope = NoiseGenerator.Use(generator);
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
