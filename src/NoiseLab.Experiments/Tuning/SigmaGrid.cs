using System.Globalization;

namespace NoiseLab.Tuning;

/// <summary>
/// The noise levels a search tries, in increasing order and without repeats. Sigma 0 stands for
/// "no noise", a baseline that shows whether noise helps at all. Error messages are phrases that
/// read after the name of the option they came from (e.g. "--sigmas: sigma -1 is negative; ...").
/// </summary>
public sealed class SigmaGrid
{
    private SigmaGrid(double[] values) => Values = values;

    /// <summary>The candidates, increasing.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>A grid of the given levels (sorted, repeats dropped).</summary>
    /// <exception cref="ArgumentException">A level is negative or not finite, or fewer than two distinct levels remain.</exception>
    public static SigmaGrid Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] sorted = [.. values.Distinct().Order()];
        foreach (double value in sorted)
        {
            if (!double.IsFinite(value))
                throw new ArgumentException($"sigma {Format(value)} is not a finite number.", nameof(values));
            if (value < 0)
                throw new ArgumentException($"sigma {Format(value)} is negative; a sigma is a standard deviation, 0 or more.", nameof(values));
        }
        if (sorted.Length < 2)
            throw new ArgumentException($"a search needs at least two distinct sigmas to compare; got {sorted.Length}.", nameof(values));
        return new SigmaGrid(sorted);
    }

    /// <summary>
    /// <paramref name="points"/> levels spaced evenly in log scale from <paramref name="low"/> to
    /// <paramref name="high"/>, both included: low·(high/low)^(i/(points−1)) for i = 0 … points−1, with
    /// the two ends exactly <paramref name="low"/> and <paramref name="high"/>. Inner points are rounded to
    /// 15 significant digits, so that rounding error does not show as 0.10000000000000002 where the
    /// range passes through 0.1 (the rounding moves a point by less than 1e-14 of its value).
    /// </summary>
    /// <exception cref="ArgumentException">Not 0 &lt; low &lt; high (both finite), or fewer than two points.</exception>
    public static SigmaGrid LogRange(double low, double high, int points)
    {
        if (!(double.IsFinite(low) && double.IsFinite(high) && low > 0 && low < high))
            throw new ArgumentException($"a log range needs 0 < LOW < HIGH; got {Format(low)}:{Format(high)}.", nameof(low));
        if (points < 2)
            throw new ArgumentException($"a log range needs at least 2 points (its two ends); got {points}.", nameof(points));
        var values = new double[points];
        for (int i = 0; i < points; i++)
            values[i] = RoundTo15Digits(low * Math.Pow(high / low, (double)i / (points - 1)));
        values[0] = low;
        values[^1] = high;
        return new SigmaGrid([.. values.Distinct()]);
    }

    /// <summary>Parses a comma-separated list of levels; <c>none</c> is sigma 0 (no noise).</summary>
    /// <exception cref="ArgumentException">An entry is not a number, or <see cref="Of"/> refuses the list.</exception>
    public static SigmaGrid Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new List<double>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Equals("none", StringComparison.OrdinalIgnoreCase))
                values.Add(0);
            else if (double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                values.Add(value);
            else
                throw new ArgumentException($"'{part}' is not a number (or none for no noise).", nameof(text));
        }
        return Of(values);
    }

    /// <summary>Parses <c>LOW:HIGH</c> into <see cref="LogRange"/> with <paramref name="points"/> points.</summary>
    /// <exception cref="ArgumentException">The text is not LOW:HIGH with 0 &lt; LOW &lt; HIGH, or fewer than two points.</exception>
    public static SigmaGrid ParseRange(string text, int points)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] ends = text.Split(':', StringSplitOptions.TrimEntries);
        if (ends.Length != 2
            || !double.TryParse(ends[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double low)
            || !double.TryParse(ends[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double high))
            throw new ArgumentException($"a log range is written LOW:HIGH with 0 < LOW < HIGH, e.g. 0.001:1; got '{text}'.", nameof(text));
        return LogRange(low, high, points);
    }

    private static double RoundTo15Digits(double value) =>
        double.Parse(value.ToString("G15", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>This grid with sigma 0 (no noise) added as a baseline candidate.</summary>
    public SigmaGrid WithBaseline() => Values[0] == 0 ? this : new SigmaGrid([0, .. Values]);

    /// <summary>A level as the search writes it into a noise plan: the shortest text that reads back as the same double.</summary>
    public static string Format(double sigma) => sigma.ToString("R", CultureInfo.InvariantCulture);
}
