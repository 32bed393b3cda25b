namespace NoiseLab.Data;

/// <summary>
/// A univariate series cut into look-back windows, split chronologically, normalized with the
/// training part's mean and standard deviation. Features are [N, window, 1], targets [N, 1], both in
/// normalized units; <see cref="Denormalize"/> turns errors back into the series' units.
/// </summary>
public sealed class TimeSeriesData : IDisposable
{
    internal TimeSeriesData(string name, InMemoryDataset train, InMemoryDataset validation, InMemoryDataset test, double mean, double std, int window, int horizon)
    {
        Name = name;
        Train = train;
        Validation = validation;
        Test = test;
        Mean = mean;
        Std = std;
        Window = window;
        Horizon = horizon;
    }

    /// <summary>Where the series came from, e.g. "seattle-weather.csv:temp_min".</summary>
    public string Name { get; }

    /// <summary>The earliest part of the series.</summary>
    public InMemoryDataset Train { get; }

    /// <summary>The part after training.</summary>
    public InMemoryDataset Validation { get; }

    /// <summary>The latest part.</summary>
    public InMemoryDataset Test { get; }

    /// <summary>The training part's mean, subtracted from every value.</summary>
    public double Mean { get; }

    /// <summary>The training part's standard deviation, dividing every value.</summary>
    public double Std { get; }

    /// <summary>Values each sample looks back on.</summary>
    public int Window { get; }

    /// <summary>How many steps after the window's last value the target lies (1: the next value).</summary>
    public int Horizon { get; }

    /// <summary>A normalized value in the series' own units.</summary>
    public double Denormalize(double value) => value * Std + Mean;

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
