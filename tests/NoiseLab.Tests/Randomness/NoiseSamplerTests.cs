using System.Runtime.Intrinsics;
using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Randomness;

public sealed class NoiseSamplerTests
{
    private static readonly NoiseKey s_key = new(0x0123456789ABCDEF, 2, 17);

    private static float[] Sample(int length, NoiseDistribution distribution, float sigma, NoiseKey key, int threads)
    {
        var values = new float[length];
        NoiseSampler.Fill(values, distribution, sigma, key, threads);
        return values;
    }

    [Theory]
    [InlineData(NoiseDistribution.Gaussian)]
    [InlineData(NoiseDistribution.Uniform)]
    public void The_same_key_gives_the_same_bits_with_one_or_two_threads(NoiseDistribution distribution)
    {
        int length = 5 * NoiseSampler.ChunkElements + 45;

        float[] one = Sample(length, distribution, 1f, s_key, threads: 1);
        float[] two = Sample(length, distribution, 1f, s_key, threads: 2);

        Assert.Equal(one, two);
    }

    // The documented stream: key (stream, "NoiseLab"), block b = AES of counter (b, tensor, draw low,
    // draw high), keystream word m = word m mod 4 of block m / 4.
    private static uint KeystreamWord(NoiseKey key, int m)
    {
        AesCounter.RoundKeys keys = AesCounter.Expand(key.Stream, BitConverter.ToUInt64("NoiseLab"u8));
        var block = AesCounter.EncryptInSoftware(in keys, Vector128.Create((uint)(m / 4), key.Tensor, (uint)key.Draw, (uint)(key.Draw >> 32)).AsByte()).AsUInt32();
        return block[m % 4];
    }

    private static float Unit(uint x) => ((x >> 9) + 0.5f) / (1 << 23);

    [Fact]
    public void Uniform_element_i_is_keystream_word_i()
    {
        float[] values = Sample(3 * 32 + 5, NoiseDistribution.Uniform, 1f, s_key, 1);
        float halfWidth = MathF.Sqrt(3f);

        for (int i = 0; i < values.Length; i++)
            Assert.Equal(MathF.FusedMultiplyAdd(Unit(KeystreamWord(s_key, i)), 2 * halfWidth, -halfWidth), values[i]);
    }

    [Fact]
    public void Gaussian_elements_are_Box_Muller_pairs_of_keystream_words_k_and_k_plus_8_of_each_16()
    {
        const float sigma = 0.5f;
        float[] values = Sample(2 * 16 + 7, NoiseDistribution.Gaussian, sigma, s_key, 1);

        for (int i = 0; i < values.Length; i++)
        {
            int group = i / 16, k = i % 8;
            double radius = sigma * Math.Sqrt(-2 * Math.Log(Unit(KeystreamWord(s_key, 16 * group + k))));
            double angle = 2 * Math.PI * (KeystreamWord(s_key, 16 * group + 8 + k) + 0.5) / 4294967296.0;
            double expected = i % 16 < 8 ? radius * Math.Cos(angle) : radius * Math.Sin(angle);
            // The float kernels agree with double precision to a few units in the last place of the radius.
            Assert.True(Math.Abs(values[i] - expected) <= 2e-6 * (1 + Math.Abs(expected)), $"element {i}: {values[i]} against {expected}");
        }
    }

    [Fact]
    public void A_prefix_of_a_longer_draw_is_the_shorter_draw()
    {
        float[] longer = Sample(1000, NoiseDistribution.Gaussian, 1f, s_key, 1);
        float[] shorter = Sample(77, NoiseDistribution.Gaussian, 1f, s_key, 1);

        Assert.Equal(longer[..77], shorter);
    }

    [Fact]
    public void Changing_any_part_of_the_key_changes_the_stream()
    {
        float[] reference = Sample(256, NoiseDistribution.Gaussian, 1f, s_key, 1);

        foreach (NoiseKey other in new[] { s_key with { Stream = s_key.Stream + 1 }, s_key.WithTensor(3), s_key.WithDraw(18) })
        {
            float[] values = Sample(256, NoiseDistribution.Gaussian, 1f, other, 1);
            Assert.True(reference.Zip(values).Count(p => p.First == p.Second) < 3, $"{other} repeats {s_key}");
        }
    }

    [Fact]
    public void A_perturbation_regenerated_from_its_key_equals_the_stored_one_and_add_equals_fill_plus_original()
    {
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

    [Theory]
    [InlineData(NoiseDistribution.Gaussian, 0.5f)]
    [InlineData(NoiseDistribution.Uniform, 0.5f)]
    [InlineData(NoiseDistribution.Gaussian, 3f)]
    [InlineData(NoiseDistribution.Uniform, 3f)]
    public void Mean_and_standard_deviation_are_within_four_standard_errors(NoiseDistribution distribution, float sigma)
    {
        const int n = 2_000_000;
        float[] values = Sample(n, distribution, sigma, s_key, 2);

        double mean = values.Average(v => (double)v);
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));

        // SE(mean) = s/√n; SE(std) = s·√((κ − 1)/(4n)) with kurtosis κ = 3 (Gaussian) or 9/5 (uniform).
        double kurtosis = distribution == NoiseDistribution.Gaussian ? 3.0 : 1.8;
        Assert.InRange(mean, -4 * sigma / Math.Sqrt(n), 4 * sigma / Math.Sqrt(n));
        double seStd = sigma * Math.Sqrt((kurtosis - 1) / (4.0 * n));
        Assert.InRange(std, sigma - 4 * seStd, sigma + 4 * seStd);
    }

    [Fact]
    public void Uniform_noise_stays_within_plus_minus_root_three_sigma_and_reaches_near_both_ends()
    {
        float[] values = Sample(1_000_000, NoiseDistribution.Uniform, 2f, s_key, 2);
        float bound = MathF.Sqrt(3f) * 2f;

        Assert.All(values, v => Assert.InRange(v, -bound, bound));
        Assert.True(values.Min() < -0.999f * bound && values.Max() > 0.999f * bound);
    }

    [Fact]
    public void Gaussian_tails_have_the_normal_frequencies()
    {
        const int n = 1_000_000;
        float[] values = Sample(n, NoiseDistribution.Gaussian, 1f, s_key, 2);

        // P(|z| > 2) = 0.0455, P(|z| > 3) = 0.0027; tolerance four binomial standard errors.
        foreach (var (threshold, p) in new[] { (2f, 0.0455003), (3f, 0.0026998) })
        {
            double observed = values.Count(v => MathF.Abs(v) > threshold) / (double)n;
            double se = Math.Sqrt(p * (1 - p) / n);
            Assert.InRange(observed, p - 4 * se, p + 4 * se);
        }
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
