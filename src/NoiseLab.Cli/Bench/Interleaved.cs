using System.Diagnostics;
using System.Globalization;

namespace NoiseLab.Cli.Bench;

/// <summary>The median of repeated measurements with its quartiles.</summary>
internal sealed record Spread(double Median, double P25, double P75)
{
    /// <summary>The median and quartiles of <paramref name="values"/> (nearest rank).</summary>
    public static Spread Of(IReadOnlyCollection<double> values)
    {
        double[] sorted = [.. values.Order()];
        double At(double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))];
        return new Spread(At(0.5), At(0.25), At(0.75));
    }
}

/// <summary>One case of an interleaved comparison: its own time and its time over the baseline's in the same round.</summary>
internal sealed record CaseTiming(string Key, string Name, Spread Milliseconds, Spread Ratio);

/// <summary>
/// Times a baseline and candidates in alternation, round after round, rotating the order, and
/// reports each candidate's median ratio to the baseline of the same round with its quartiles.
/// On a shared, noisy machine this is steadier than timing each case in its own block.
/// </summary>
internal static class Interleaved
{
    /// <summary>A case: a stable key for the JSON output, a name for people, and a measurement in milliseconds.</summary>
    public sealed record Case(string Key, string Name, Func<double> Measure)
    {
        /// <summary>A case measured by timing <paramref name="run"/> as a whole.</summary>
        public Case(string key, string name, Action run)
            : this(key, name, () => TimeOf(run))
        {
        }

        private static double TimeOf(Action run)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
    }

    /// <summary>Runs every case <paramref name="warmup"/> times, then <paramref name="rounds"/> rounds; the baseline's ratio is 1.</summary>
    public static IReadOnlyList<CaseTiming> Compare(Case baseline, IReadOnlyList<Case> candidates, int rounds, int warmup = 1)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var all = new List<Case> { baseline };
        all.AddRange(candidates);
        for (int i = 0; i < warmup; i++)
            all.ForEach(c => c.Measure());

        var times = all.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < all.Count; k++)
            {
                int index = (k + round) % all.Count;
                times[index].Add(all[index].Measure());
            }
        }
        return [.. all.Select((c, i) => new CaseTiming(c.Key, c.Name, Spread.Of(times[i]), Spread.Of([.. times[i].Zip(times[0], (t, b) => t / b)])))];
    }

    /// <summary>A table of the comparison for people.</summary>
    public static void Print(TextWriter writer, string title, IReadOnlyList<CaseTiming> results)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(results);
        writer.WriteLine(title);
        writer.WriteLine($"{"case",-44} {"median ms",10} {"ratio",7} {"p25",7} {"p75",7}");
        foreach (CaseTiming r in results)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name,-44} {r.Milliseconds.Median,10:F1} {r.Ratio.Median,7:F3} {r.Ratio.P25,7:F3} {r.Ratio.P75,7:F3}"));
        }
    }
}
