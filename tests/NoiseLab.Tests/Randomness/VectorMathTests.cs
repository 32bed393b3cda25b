using System.Runtime.Intrinsics;
using NoiseLab.Randomness;

namespace NoiseLab.Tests.Randomness;

public sealed class VectorMathTests
{
    [Fact]
    public void Log_matches_the_library_log_across_the_sampler_range()
    {
        // The sampler's uniforms: ((k >> 9) + 0.5)·2^-23 for 23-bit k, from 6e-8 to 1 − 6e-8.
        var inputs = new List<float>();
        for (int k = 0; k < (1 << 23); k += 997)
            inputs.Add((k + 0.5f) / (1 << 23));
        inputs.AddRange([0.5f / (1 << 23), ((1 << 23) - 0.5f) / (1 << 23), 0.70710677f, 0.70710683f, 1.41421354f / 2]);

        foreach (float[] chunk in inputs.Chunk(8).Where(c => c.Length == 8))
        {
            Vector256<float> result = VectorMath.LogPositive(Vector256.Create<float>(chunk));
            for (int i = 0; i < 8; i++)
            {
                double exact = Math.Log(chunk[i]);
                Assert.True(Math.Abs(result[i] - exact) <= 2e-7 * Math.Max(1, Math.Abs(exact)), $"ln({chunk[i]:R}) = {result[i]:R}, expected {exact:R}");
            }
        }
    }

    [Fact]
    public void Sine_and_cosine_of_a_turn_word_match_across_all_quadrants_and_their_edges()
    {
        // Words spread over the whole range, plus those at and around each quadrant boundary (k·2^30 ± 2^29).
        var words = new List<uint>();
        for (long k = 0; k < (1L << 32); k += 40_009)
            words.Add((uint)k);
        foreach (long edge in new[] { 0L, 1L << 29, 3L << 29, 5L << 29, 7L << 29, 1L << 30, 1L << 31, 3L << 30 })
            words.AddRange([(uint)edge, (uint)(edge - 1), (uint)(edge + 1)]);
        words.Add(uint.MaxValue);

        foreach (uint[] chunk in words.Chunk(8).Where(c => c.Length == 8))
        {
            var (sin, cos) = VectorMath.SinCosOfTurnWord(Vector256.Create<uint>(chunk));

            for (int i = 0; i < 8; i++)
            {
                double angle = 2 * Math.PI * (chunk[i] + 0.5) / 4294967296.0;
                Assert.True(Math.Abs(sin[i] - Math.Sin(angle)) < 3e-7, $"sin of word {chunk[i]}: {sin[i]:R} vs {Math.Sin(angle):R}");
                Assert.True(Math.Abs(cos[i] - Math.Cos(angle)) < 3e-7, $"cos of word {chunk[i]}: {cos[i]:R} vs {Math.Cos(angle):R}");
            }
        }
    }
}
