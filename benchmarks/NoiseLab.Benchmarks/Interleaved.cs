using System.Diagnostics;
using System.Globalization;

namespace NoiseLab.Benchmarks;

/// <summary>
/// Times a baseline and candidates in alternation, round after round, rotating the order, and
/// reports each candidate's median ratio to the baseline of the same round with its quartiles.
/// On a shared, noisy machine this is steadier than timing each case in its own block.
/// </summary>
internal static class Interleaved
{
    public static void Compare(string title, (string Name, Action Run) baseline, IReadOnlyList<(string Name, Action Run)> candidates, int rounds, int warmup = 2)
    {
        var all = new List<(string Name, Action Run)> { baseline };
        all.AddRange(candidates);
        for (int i = 0; i < warmup; i++)
            all.ForEach(c => c.Run());

        var times = all.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < all.Count; k++)
            {
                int index = (k + round) % all.Count;
                long start = Stopwatch.GetTimestamp();
                all[index].Run();
                times[index].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        Console.WriteLine(title);
        Console.WriteLine($"{"case",-44} {"median ms",10} {"ratio",7} {"p25",7} {"p75",7}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{baseline.Name,-44} {Quantile(times[0], 0.5),10:F1} {1.0,7:F3}"));
        for (int c = 1; c < all.Count; c++)
        {
            var ratios = times[c].Zip(times[0], (t, b) => t / b).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{all[c].Name,-44} {Quantile(times[c], 0.5),10:F1} {Quantile(ratios, 0.5),7:F3} {Quantile(ratios, 0.25),7:F3} {Quantile(ratios, 0.75),7:F3}"));
        }
    }

    private static double Quantile(List<double> values, double q)
    {
        double[] sorted = [.. values.Order()];
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }
}
