using System.Runtime.Intrinsics;
using NoiseLab.Randomness;

namespace NoiseLab.Tests.Randomness;

/// <summary>The transform of ars7-boxmuller-v2 against double precision, and its two vector widths against each other.</summary>
public sealed class ArsBoxMullerKernelTests
{
    // Words spread over the whole range, and those at and around each quadrant boundary and the ends.
    private static uint[] EdgeAndSpreadWords()
    {
        var words = new List<uint>();
        for (long k = 0; k < (1L << 32); k += 40_009)
            words.Add((uint)k);
        foreach (long edge in new[] { 0L, 1L << 29, 3L << 29, 5L << 29, 7L << 29, 1L << 30, 1L << 31, 3L << 30, 1L << 32 })
            words.AddRange([(uint)edge, (uint)(edge - 1), (uint)(edge + 1), (uint)(edge - 2)]);
        while (words.Count % 32 != 0)
            words.Add((uint)words.Count * 2654435761u);
        return [.. words];
    }

    private static float[] Transform(uint[] words, float sigma)
    {
        var output = new float[words.Length];
        ArsBoxMullerKernel.Gaussian<Storing>((uint[])words.Clone(), output, default, sigma);
        return output;
    }

    [Fact]
    public void Radius_and_direction_match_double_precision_over_the_whole_word_range()
    {
        uint[] words = EdgeAndSpreadWords();
        float[] output = Transform(words, 1f);

        double worstRadius = 0;
        for (int i = 0; i < words.Length; i++)
        {
            int group = i / 32, k = i % 16;
            uint radiusWord = words[32 * group + k], angleWord = words[32 * group + 16 + k];
            // u as the kernel forms it: the odd word rounded to a float, times 2⁻³².
            double u = (float)(radiusWord | 1) / 4294967296.0;
            double radius = Math.Sqrt(-2 * Math.Log(u));
            double angle = 2 * Math.PI * (angleWord + 0.5) / 4294967296.0;
            double expected = i % 32 < 16 ? radius * Math.Cos(angle) : radius * Math.Sin(angle);
            double error = Math.Abs(output[i] - expected);
            // ln is good to 1.5e-7 absolute, so r = √(−2 ln u) to 1.5e-7/r; sin and cos to 3e-7, times r.
            Assert.True(error <= 1.5e-7 / Math.Max(radius, 1e-3) + 4e-7 * radius + 1e-7, $"element {i} (words {radiusWord}, {angleWord}): {output[i]:R} against {expected:R}");
            worstRadius = Math.Max(worstRadius, radius);
        }
        Assert.InRange(worstRadius, 6.6, 6.7);   // the word 0 (or 1) reaches √(2·ln 2³²) = 6.66σ
    }

    [SkippableFact]
    public void Sixteen_and_eight_lanes_give_the_same_bits_for_every_way_of_writing()
    {
        Skip.IfNot(Lanes512.IsSupported, "This CPU has no AVX-512, so only the 8-lane path runs here.");
        uint[] words = EdgeAndSpreadWords();
        var random = new Random(3);
        float[] start = [.. Enumerable.Range(0, words.Length).Select(_ => (float)random.NextDouble())];
        float[] kept = [.. Enumerable.Range(0, words.Length).Select(_ => (float)random.NextDouble() * 1e-3f)];

        (float[] Target, float[] Companion) Run(bool wide, Func<Span<uint>, Span<float>, Span<float>, bool, int> write)
        {
            float[] target = (float[])start.Clone(), companion = (float[])kept.Clone();
            write((uint[])words.Clone(), target, companion, wide);
            return (target, companion);
        }

        foreach (var write in new Func<Span<uint>, Span<float>, Span<float>, bool, int>[] { Width<Storing>, Width<Adding>, Width<SavingThenAdding>, Width<KeepingThenAdding>, Width<Exchanging> })
        {
            var narrow = Run(false, write);
            var wide = Run(true, write);
            Assert.Equal(narrow.Target, wide.Target);
            Assert.Equal(narrow.Companion, wide.Companion);
        }
    }

    private static int Width<TWrite>(Span<uint> words, Span<float> target, Span<float> companion, bool wide) where TWrite : struct, ISampleWrite
    {
        if (wide)
            ArsBoxMullerKernel.Gaussian<Lanes512, Vector512<float>, Vector512<int>, TWrite>(words, target, companion, 0.25f);
        else
            ArsBoxMullerKernel.Gaussian<Lanes256, Vector256<float>, Vector256<int>, TWrite>(words, target, companion, 0.25f);
        return 0;
    }

    [Fact]
    public void The_eight_lane_unsigned_conversion_is_correctly_rounded()
    {
        uint[] values = [0, 1, 255, 256, 16_777_215, 16_777_216, 16_777_217, 16_777_219, 0x7FFFFFFF, 0x80000000, 0x80000081, 0xFFFFFF7F, 0xFFFFFF80, 0xFFFFFFFF];
        foreach (uint[] chunk in values.Concat(Enumerable.Repeat(3u, 2)).Chunk(8))
        {
            Vector256<float> converted = Lanes256.FromUInt32(Vector256.Create<uint>(chunk).AsInt32());
            for (int i = 0; i < 8; i++)
                Assert.Equal((float)chunk[i], converted[i]);
        }
    }

    [Fact]
    public void The_sector_tables_hold_the_cosines_and_sines_of_the_32_sector_centres()
    {
        for (int j = 0; j < 32; j++)
        {
            Assert.Equal((float)Math.Round(Math.Cos(2 * Math.PI * j / 32), 15), ArsBoxMullerKernel.SectorCosines[j]);
            Assert.Equal((float)Math.Round(Math.Sin(2 * Math.PI * j / 32), 15), ArsBoxMullerKernel.SectorSines[j]);
        }
    }
}
