using System.Diagnostics;
using System.Globalization;
using NoiseLab.Cli.Bench;
using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Benchmarks;

/// <summary>
/// A Gaussian draw of several sizes made right after a matrix product, as inside a training step,
/// on the calling thread alone against all TorchSharp threads: libtorch's OpenMP workers are still
/// spinning then, and extra threads compete with them. The evidence for
/// <see cref="NoiseSampler.ParallelThreshold"/>.
/// </summary>
internal static class ContendedDraw
{
    public static void Run(int rounds)
    {
        using var a = randn(128, 784);
        using var b = randn(784, 500);
        var key = NoiseKey.For(1, "contention");
        int threads = get_num_threads();
        using (Tensor warmup = zeros(1L << 16))
        {
            // Past tiered compilation, so that the first sizes are not timed on unoptimized code.
            for (int i = 0; i < 300; i++)
                NoiseSampler.Add_(warmup, NoiseDistribution.Gaussian, 1e-3f, key.WithDraw(i), maxThreads: 1 + i % 2);
            Thread.Sleep(500);
        }
        Console.WriteLine($"Gaussian Add_ right after a 128x784x500 matmul, median of {rounds} rounds, TorchSharp threads {threads}");
        Console.WriteLine($"{"elements",12} {"1 thread ms",12} {$"{threads} threads ms",12} {"ratio",7}");
        foreach (long elements in new long[] { 1L << 15, 1L << 17, 1L << 19, 1L << 20, 1L << 21, 1L << 23 })
        {
            using Tensor target = zeros(elements);
            var one = new List<double>();
            var all = new List<double>();
            for (int round = 0; round < rounds; round++)
            {
                one.Add(TimeAfterProduct(a, b, () => NoiseSampler.Add_(target, NoiseDistribution.Gaussian, 1e-3f, key.WithDraw(round), maxThreads: 1)));
                all.Add(TimeAfterProduct(a, b, () => NoiseSampler.Add_(target, NoiseDistribution.Gaussian, 1e-3f, key.WithDraw(round), maxThreads: threads)));
            }
            double m1 = Spread.Of(one).Median, mAll = Spread.Of(all).Median;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{elements,12} {m1,12:F3} {mAll,12:F3} {mAll / m1,7:F2}"));
        }
    }

    private static double TimeAfterProduct(Tensor a, Tensor b, Action draw)
    {
        using (a.matmul(b))
        {
        }
        long start = Stopwatch.GetTimestamp();
        draw();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
