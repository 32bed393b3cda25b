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
    public void Sine_and_cosine_of_turns_match_across_the_unit_interval()
    {
        for (int k = 0; k < 100_000; k += 8)
        {
            float[] turns = [.. Enumerable.Range(k, 8).Select(i => (i + 0.5f) / 100_000)];

            var (sin, cos) = VectorMath.SinCosTurns(Vector256.Create<float>(turns));

            for (int i = 0; i < 8; i++)
            {
                double angle = 2 * Math.PI * turns[i];
                Assert.True(Math.Abs(sin[i] - Math.Sin(angle)) < 3e-7, $"sin at {turns[i]:R} turns: {sin[i]:R} vs {Math.Sin(angle):R}");
                Assert.True(Math.Abs(cos[i] - Math.Cos(angle)) < 3e-7, $"cos at {turns[i]:R} turns: {cos[i]:R} vs {Math.Cos(angle):R}");
            }
        }
    }
}
