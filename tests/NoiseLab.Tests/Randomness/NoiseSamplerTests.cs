using System.Runtime.Intrinsics;
using NoiseLab.Cli.Bench;
using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Randomness;

public sealed class NoiseSamplerTests
{
    private static readonly NoiseKey s_key = new(0x0123456789ABCDEF, 2, 17);

    /// <summary>Every generator by name, for theories that hold for each.</summary>
    public static TheoryData<string> Generators => [.. NoiseGenerator.All.Select(g => g.Name)];

    /// <summary>Every generator with each distribution.</summary>
    public static TheoryData<string, NoiseDistribution> GeneratorsAndDistributions
    {
        get
        {
            var data = new TheoryData<string, NoiseDistribution>();
            foreach (NoiseGenerator generator in NoiseGenerator.All)
            {
                foreach (NoiseDistribution distribution in Enum.GetValues<NoiseDistribution>())
                    data.Add(generator.Name, distribution);
            }
            return data;
        }
    }

    private static float[] Sample(int length, NoiseDistribution distribution, float sigma, NoiseKey key, int threads, string? generator = null)
    {
        using var scope = NoiseGenerator.Use(generator is null ? NoiseGenerator.Current : NoiseGenerator.Find(generator));
        var values = new float[length];
        NoiseSampler.Fill(values, distribution, sigma, key, threads);
        return values;
    }

    [Theory]
    [MemberData(nameof(GeneratorsAndDistributions))]
    public void The_same_key_gives_the_same_bits_with_one_or_two_threads(string generator, NoiseDistribution distribution)
    {
        int length = 5 * NoiseSampler.ChunkElements + 45;

        float[] one = Sample(length, distribution, 1f, s_key, threads: 1, generator);
        float[] two = Sample(length, distribution, 1f, s_key, threads: 2, generator);

        Assert.Equal(one, two);
    }

    [Fact]
    public void The_generators_draw_different_bits_from_the_same_key()
    {
        float[][] draws = [.. NoiseGenerator.All.Select(g => Sample(4096, NoiseDistribution.Gaussian, 1f, s_key, 1, g.Name))];

        for (int a = 0; a < draws.Length; a++)
        {
            for (int b = a + 1; b < draws.Length; b++)
                Assert.True(draws[a].Zip(draws[b]).Count(p => p.First == p.Second) < 3, $"{NoiseGenerator.All[a]} and {NoiseGenerator.All[b]} agree");
        }
    }

    // The documented streams: key (stream, "NoiseLab"), block b = AES-128 (v1) or ARS-7 (v2) of counter
    // (b, tensor, draw low, draw high), keystream word m = word m mod 4 of block m / 4.
    private static uint KeystreamWord(NoiseKey key, int m, NoiseGenerator generator)
    {
        Vector128<byte> counter = Vector128.Create((uint)(m / 4), key.Tensor, (uint)key.Draw, (uint)(key.Draw >> 32)).AsByte();
        ulong domain = BitConverter.ToUInt64("NoiseLab"u8);
        if (generator == NoiseGenerator.Aes128BoxMullerV1)
        {
            AesCounter.RoundKeys aes = AesCounter.Expand(key.Stream, domain);
            return AesCounter.EncryptInSoftware(in aes, counter).AsUInt32()[m % 4];
        }
        ArsCounter.RoundKeys ars = ArsCounter.Expand(key.Stream, domain);
        return ArsCounter.EncryptInSoftware(in ars, counter).AsUInt32()[m % 4];
    }

    private static float Unit(uint x) => ((x >> 9) + 0.5f) / (1 << 23);

    [Theory]
    [MemberData(nameof(Generators))]
    public void Uniform_element_i_is_keystream_word_i(string name)
    {
        NoiseGenerator generator = NoiseGenerator.Find(name);
        float[] values = Sample(3 * 32 + 5, NoiseDistribution.Uniform, 1f, s_key, 1, name);
        float halfWidth = MathF.Sqrt(3f);

        for (int i = 0; i < values.Length; i++)
            Assert.Equal(MathF.FusedMultiplyAdd(Unit(KeystreamWord(s_key, i, generator)), 2 * halfWidth, -halfWidth), values[i]);
    }

    [Fact]
    public void V1_Gaussian_elements_are_Box_Muller_pairs_of_keystream_words_k_and_k_plus_8_of_each_16()
    {
        const float sigma = 0.5f;
        NoiseGenerator v1 = NoiseGenerator.Aes128BoxMullerV1;
        float[] values = Sample(2 * 16 + 7, NoiseDistribution.Gaussian, sigma, s_key, 1, v1.Name);

        for (int i = 0; i < values.Length; i++)
        {
            int group = i / 16, k = i % 8;
            double radius = sigma * Math.Sqrt(-2 * Math.Log(Unit(KeystreamWord(s_key, 16 * group + k, v1))));
            double angle = 2 * Math.PI * (KeystreamWord(s_key, 16 * group + 8 + k, v1) + 0.5) / 4294967296.0;
            double expected = i % 16 < 8 ? radius * Math.Cos(angle) : radius * Math.Sin(angle);
            // The float kernels agree with double precision to a few units in the last place of the radius.
            Assert.True(Math.Abs(values[i] - expected) <= 2e-6 * (1 + Math.Abs(expected)), $"element {i}: {values[i]} against {expected}");
        }
    }

    [Fact]
    public void V2_Gaussian_elements_are_Box_Muller_pairs_of_keystream_words_k_and_k_plus_16_of_each_32()
    {
        const float sigma = 0.5f;
        NoiseGenerator v2 = NoiseGenerator.Ars7BoxMullerV2;
        float[] values = Sample(3 * 32 + 7, NoiseDistribution.Gaussian, sigma, s_key, 1, v2.Name);

        for (int i = 0; i < values.Length; i++)
        {
            int group = i / 32, k = i % 16;
            double u = (float)(KeystreamWord(s_key, 32 * group + k, v2) | 1) / 4294967296.0;
            double radius = sigma * Math.Sqrt(-2 * Math.Log(u));
            double angle = 2 * Math.PI * (KeystreamWord(s_key, 32 * group + 16 + k, v2) + 0.5) / 4294967296.0;
            double expected = i % 32 < 16 ? radius * Math.Cos(angle) : radius * Math.Sin(angle);
            // The kernel's own accuracy is ArsBoxMullerKernelTests'; here the layout: which words make which element.
            Assert.True(Math.Abs(values[i] - expected) <= 2e-6 * (1 + Math.Abs(expected)), $"element {i}: {values[i]} against {expected}");
        }
    }

    [Theory]
    [MemberData(nameof(Generators))]
    public void A_prefix_of_a_longer_draw_is_the_shorter_draw(string generator)
    {
        float[] longer = Sample(1000, NoiseDistribution.Gaussian, 1f, s_key, 1, generator);
        float[] shorter = Sample(77, NoiseDistribution.Gaussian, 1f, s_key, 1, generator);

        Assert.Equal(longer[..77], shorter);
    }

    [Theory]
    [MemberData(nameof(Generators))]
    public void Changing_any_part_of_the_key_changes_the_stream(string generator)
    {
        float[] reference = Sample(256, NoiseDistribution.Gaussian, 1f, s_key, 1, generator);

        foreach (NoiseKey other in new[] { s_key with { Stream = s_key.Stream + 1 }, s_key.WithTensor(3), s_key.WithDraw(18) })
        {
            float[] values = Sample(256, NoiseDistribution.Gaussian, 1f, other, 1, generator);
            Assert.True(reference.Zip(values).Count(p => p.First == p.Second) < 3, $"{other} repeats {s_key}");
        }
    }

    [Theory]
    [MemberData(nameof(Generators))]
    public void A_perturbation_regenerated_from_its_key_equals_the_stored_one_and_add_equals_fill_plus_original(string generator)
    {
        using var scope = NoiseGenerator.Use(NoiseGenerator.Find(generator));
        using Tensor weights = randn(300, 70);
        float[] before = weights.data<float>().ToArray();
        using Tensor stored = zeros(300, 70);
        NoiseSampler.Fill_(stored, NoiseDistribution.Gaussian, 0.01f, s_key);

        NoiseSampler.Add_(weights, NoiseDistribution.Gaussian, 0.01f, s_key);

        float[] noise = stored.data<float>().ToArray();
        Assert.Equal(before.Zip(noise, (w, n) => w + n), weights.data<float>().ToArray());
        float[] regenerated = Sample(300 * 70, NoiseDistribution.Gaussian, 0.01f, s_key, 1);
        Assert.Equal(noise, regenerated);
    }

    public static TheoryData<string, NoiseDistribution, float> MomentCases
    {
        get
        {
            var data = new TheoryData<string, NoiseDistribution, float>();
            foreach (var (generator, distribution) in GeneratorsAndDistributions.Select(row => ((string)row[0], (NoiseDistribution)row[1])))
            {
                data.Add(generator, distribution, 0.5f);
                data.Add(generator, distribution, 3f);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(MomentCases))]
    public void Mean_and_standard_deviation_are_within_four_standard_errors(string generator, NoiseDistribution distribution, float sigma)
    {
        const int n = 2_000_000;
        float[] values = Sample(n, distribution, sigma, s_key, 2, generator);

        double mean = values.Average(v => (double)v);
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));

        // SE(mean) = s/√n; SE(std) = s·√((κ − 1)/(4n)) with kurtosis κ = 3 (Gaussian) or 9/5 (uniform).
        double kurtosis = distribution == NoiseDistribution.Gaussian ? 3.0 : 1.8;
        Assert.InRange(mean, -4 * sigma / Math.Sqrt(n), 4 * sigma / Math.Sqrt(n));
        double seStd = sigma * Math.Sqrt((kurtosis - 1) / (4.0 * n));
        Assert.InRange(std, sigma - 4 * seStd, sigma + 4 * seStd);
    }

    [Theory]
    [MemberData(nameof(Generators))]
    public void Uniform_noise_stays_within_plus_minus_root_three_sigma_and_reaches_near_both_ends(string generator)
    {
        float[] values = Sample(1_000_000, NoiseDistribution.Uniform, 2f, s_key, 2, generator);
        float bound = MathF.Sqrt(3f) * 2f;

        Assert.All(values, v => Assert.InRange(v, -bound, bound));
        Assert.True(values.Min() < -0.999f * bound && values.Max() > 0.999f * bound);
    }

    [Theory]
    [MemberData(nameof(Generators))]
    public void Gaussian_moments_and_tails_to_six_sigma_match_the_normal_on_ten_million_samples(string generator)
    {
        // 10⁷ here (a second or so); `noiselab bench --only quality` runs the same checks on 10⁸.
        const int n = 10_000_000;
        float[] values = Sample(n, NoiseDistribution.Gaussian, 1f, s_key, 2, generator);

        GaussianCheck check = GaussianCheck.Of(values);

        // Each figure within four of its standard errors (skewness √(6/n), excess kurtosis √(24/n)); each tail
        // count P(|z| > k)·n within four binomial standard errors, and for 6σ (0.02 expected) at most 2.
        Assert.All(check.Failures(4), failure => Assert.Fail(failure));
        Assert.Equal(7, check.Tails.Count);
    }

    public static TheoryData<string, NoiseDistribution, int> FusedCases
    {
        get
        {
            var data = new TheoryData<string, NoiseDistribution, int>();
            foreach (var (generator, distribution) in GeneratorsAndDistributions.Select(row => ((string)row[0], (NoiseDistribution)row[1])))
            {
                data.Add(generator, distribution, 77);
                data.Add(generator, distribution, 3 * NoiseSampler.ChunkElements + 45);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(FusedCases))]
    public void The_fused_draws_give_the_bits_of_the_operations_they_replace(string generator, NoiseDistribution distribution, int length)
    {
        using var scope = NoiseGenerator.Use(NoiseGenerator.Find(generator));
        using Tensor weights = randn(length), previous = zeros(length);
        NoiseSampler.Fill_(previous, distribution, 0.02f, s_key.WithDraw(1));
        using Tensor noise = zeros(length);
        NoiseSampler.Fill_(noise, distribution, 0.03f, s_key.WithDraw(2));

        using Tensor saved = zeros(length), perturbed = weights.clone();
        NoiseSampler.SaveAndAdd_(perturbed, saved, distribution, 0.03f, s_key.WithDraw(2), maxThreads: 2);
        using Tensor kept = zeros(length), first = weights.clone();
        NoiseSampler.AddKeeping_(first, kept, distribution, 0.03f, s_key.WithDraw(2));
        using Tensor exchanged = weights.clone(), held = previous.clone();
        NoiseSampler.Exchange_(exchanged, held, distribution, 0.03f, s_key.WithDraw(2), maxThreads: 2);

        Assert.Equal(weights.data<float>().ToArray(), saved.data<float>().ToArray());
        Assert.Equal(weights.add(noise).data<float>().ToArray(), perturbed.data<float>().ToArray());
        Assert.Equal(noise.data<float>().ToArray(), kept.data<float>().ToArray());
        Assert.Equal(weights.add(noise).data<float>().ToArray(), first.data<float>().ToArray());
        Assert.Equal(noise.data<float>().ToArray(), held.data<float>().ToArray());
        Assert.Equal(weights.sub(previous).add(noise).data<float>().ToArray(), exchanged.data<float>().ToArray());
    }

    [Theory]
    [MemberData(nameof(GeneratorsAndDistributions))]
    public void A_fill_larger_than_the_caches_streams_its_stores_and_gives_the_same_bits(string generator, NoiseDistribution distribution)
    {
        using var scope = NoiseGenerator.Use(NoiseGenerator.Find(generator));
        const int length = (1 << 21) + 77;
        using Tensor streamed = empty(length), cached = empty(length);
        int threshold = NoiseSampler.StreamingThreshold;

        NoiseSampler.Fill_(streamed, distribution, 0.5f, s_key, maxThreads: 2);
        try
        {
            NoiseSampler.StreamingThreshold = int.MaxValue;
            NoiseSampler.Fill_(cached, distribution, 0.5f, s_key, maxThreads: 1);
        }
        finally
        {
            NoiseSampler.StreamingThreshold = threshold;
        }

        Assert.True(length >= threshold);
        Assert.Equal(cached.data<float>().ToArray(), streamed.data<float>().ToArray());
    }

    [Fact]
    public void The_fused_draws_on_the_generic_path_and_at_sigma_zero_do_what_they_stand_for()
    {
        using Tensor weights = randn(50, dtype: ScalarType.Float64), previous = randn(50, dtype: ScalarType.Float64);
        using Tensor saved = zeros(50, dtype: ScalarType.Float64), perturbed = weights.clone(), expected = weights.clone();
        NoiseSampler.Add_(expected, NoiseDistribution.Gaussian, 0.1f, s_key);

        NoiseSampler.SaveAndAdd_(perturbed, saved, NoiseDistribution.Gaussian, 0.1f, s_key);
        using Tensor exchanged = weights.clone(), held = previous.clone();
        NoiseSampler.Exchange_(exchanged, held, NoiseDistribution.Gaussian, 0f, s_key);

        Assert.Equal(weights.data<double>().ToArray(), saved.data<double>().ToArray());
        Assert.Equal(expected.data<double>().ToArray(), perturbed.data<double>().ToArray());
        Assert.Equal(weights.sub(previous).data<double>().ToArray(), exchanged.data<double>().ToArray());
        Assert.All(held.data<double>().ToArray(), v => Assert.Equal(0, v));
        // A fast-path tensor with a companion the kernels cannot write still draws on its own (fast) path.
        using Tensor fast = randn(8, 6), expectedFast = fast.clone(), savedView = zeros(6, 8).t();
        NoiseSampler.Add_(expectedFast, NoiseDistribution.Gaussian, 0.1f, s_key);
        NoiseSampler.SaveAndAdd_(fast, savedView, NoiseDistribution.Gaussian, 0.1f, s_key);
        Assert.Equal(expectedFast.data<float>().ToArray(), fast.data<float>().ToArray());
        var error = Assert.Throws<ArgumentException>(() => NoiseSampler.SaveAndAdd_(weights, zeros(49, dtype: ScalarType.Float64), NoiseDistribution.Gaussian, 0.1f, s_key));
        Assert.StartsWith("The companion tensor must have the tensor's shape and dtype, [50] Float64; it is [49] Float64.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sigma_zero_gives_zeros_and_negative_sigma_is_refused()
    {
        Assert.All(Sample(100, NoiseDistribution.Gaussian, 0f, s_key, 1), v => Assert.Equal(0f, v));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Sample(10, NoiseDistribution.Gaussian, -1f, s_key, 1));
        Assert.StartsWith("Sigma must be a finite number >= 0.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_float_tensors_are_refused()
    {
        using Tensor ids = zeros(4, dtype: ScalarType.Int64);

        var error = Assert.Throws<ArgumentException>(() => NoiseSampler.Add_(ids, NoiseDistribution.Gaussian, 1f, s_key));

        Assert.StartsWith("Noise goes into floating-point tensors, but this one is Int64; for token ids, put the noise on their embeddings", error.Message, StringComparison.Ordinal);
    }
}
