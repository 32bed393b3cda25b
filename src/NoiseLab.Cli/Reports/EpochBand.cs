using NoiseLab.Training;

namespace NoiseLab.Cli.Reports;

/// <summary>
/// One epoch of a curve over seeds: the mean of a figure across the runs that recorded it at that
/// epoch, and its sample standard deviation (n − 1; 0 for a single run), as the report's tables use.
/// </summary>
internal sealed record EpochBand(int Epoch, double Mean, double Std, int Runs)
{
    /// <summary>The lower edge of the ±std band.</summary>
    public double Low => Mean - Std;

    /// <summary>The upper edge of the ±std band.</summary>
    public double High => Mean + Std;

    /// <summary>
    /// The band of <paramref name="figure"/> over <paramref name="runs"/> (one epoch history per seed),
    /// epoch by epoch in increasing order. An epoch counts the runs whose record there gives a finite
    /// value: a run that stopped early, a figure that is null (no accuracy in forecasting), not recorded
    /// that epoch (sharpness every k epochs) or not finite (a diverged loss) leaves that run out.
    /// </summary>
    public static IReadOnlyList<EpochBand> Over(IEnumerable<IReadOnlyList<EpochRecord>> runs, Func<EpochRecord, double?> figure)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(figure);
        return [.. runs
            .SelectMany(history => history)
            .Select(record => (record.Epoch, Value: figure(record)))
            .Where(point => point.Value is double value && double.IsFinite(value))
            .GroupBy(point => point.Epoch, point => point.Value!.Value)
            .OrderBy(epoch => epoch.Key)
            .Select(epoch => Of(epoch.Key, [.. epoch]))];
    }

    private static EpochBand Of(int epoch, double[] values)
    {
        double mean = values.Average();
        double std = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
        return new EpochBand(epoch, mean, std, values.Length);
    }
}
