using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Data;

/// <summary>
/// Reads one numeric column of a CSV file with a header row as a time series (rows in time order) and
/// turns it into <see cref="TimeSeriesData"/>: the series is split chronologically (no shuffling across
/// the split; train, then validation, then test), each part is windowed on its own so that no sample
/// sees values of a later part, and every value is normalized with the training part's statistics only.
/// </summary>
public static class TimeSeriesCsv
{
    /// <summary>Where Debian's python3-vega-datasets puts Seattle's daily weather (a real series: column temp_min).</summary>
    public const string SeattleWeather = "/usr/lib/python3/dist-packages/vega_datasets/_data/seattle-weather.csv";

    /// <summary>Reads <paramref name="column"/> of <paramref name="path"/>.</summary>
    /// <exception cref="DataSetException">The file or column is missing, or a value is not a number.</exception>
    public static double[] ReadColumn(string path, string column)
    {
        if (!File.Exists(path))
            throw new DataSetException($"CSV file '{path}' does not exist.");
        using var reader = new StreamReader(path);
        string? header = reader.ReadLine();
        if (header is null)
            throw new DataSetException($"CSV file '{path}' is empty; it needs a header row and one row per time step.");
        string[] names = [.. header.Split(',').Select(n => n.Trim().Trim('"'))];
        int index = Array.FindIndex(names, n => n.Equals(column, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
            throw new DataSetException($"CSV file '{path}' has no column '{column}'; its columns are: {string.Join(", ", names)}.");

        var values = new List<double>();
        int line = 1;
        while (reader.ReadLine() is { } row)
        {
            line++;
            if (row.Length == 0)
                continue;
            string[] cells = row.Split(',');
            if (index >= cells.Length)
                throw new DataSetException($"CSV file '{path}' line {line} has {cells.Length} fields; column '{column}' is field {index + 1}.");
            string cell = cells[index].Trim().Trim('"');
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                throw new DataSetException($"CSV file '{path}' line {line}: '{cell}' in column '{column}' is not a number.");
            values.Add(value);
        }
        return [.. values];
    }

    /// <summary>Builds windows of <paramref name="window"/> values predicting the value <paramref name="horizon"/> steps later.</summary>
    /// <param name="series">The values in time order.</param>
    /// <param name="name">A name for logs.</param>
    /// <param name="window">Look-back length (≥ 1).</param>
    /// <param name="horizon">Steps ahead of the window's last value (≥ 1).</param>
    /// <param name="validationFraction">Share of the series for validation, after training.</param>
    /// <param name="testFraction">Share for testing, at the end.</param>
    public static TimeSeriesData Window(double[] series, string name, int window, int horizon = 1, double validationFraction = 0.15, double testFraction = 0.15)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(horizon);
        if (!(validationFraction > 0 && testFraction > 0 && validationFraction + testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The validation and test fractions must be positive and leave a training part.");
        int validationLength = (int)Math.Round(series.Length * validationFraction);
        int testLength = (int)Math.Round(series.Length * testFraction);
        int trainLength = series.Length - validationLength - testLength;
        int needed = window + horizon;
        if (Math.Min(trainLength, Math.Min(validationLength, testLength)) < needed + 1)
            throw new DataSetException($"The series '{name}' has {series.Length} values; split {trainLength}/{validationLength}/{testLength}, each part needs more than {needed} for windows of {window} predicting {horizon} ahead.");

        ReadOnlySpan<double> train = series.AsSpan(0, trainLength);
        double mean = 0;
        foreach (double v in train)
            mean += v;
        mean /= trainLength;
        double variance = 0;
        foreach (double v in train)
            variance += (v - mean) * (v - mean);
        double std = Math.Sqrt(variance / (trainLength - 1));
        if (!double.IsFinite(mean) || !double.IsFinite(std))
            throw new DataSetException(string.Create(CultureInfo.InvariantCulture, $"The training part of '{name}' has values too large to normalize (mean {mean} or standard deviation {std} is not finite); scale the column down before reading it."));
        if (std == 0)
            throw new DataSetException($"The training part of '{name}' is constant; it cannot be normalized or learned from.");

        InMemoryDataset Part(int start, int length)
        {
            int count = length - needed + 1;
            var features = new float[count * window];
            var targets = new float[count];
            for (int i = 0; i < count; i++)
            {
                for (int j = 0; j < window; j++)
                    features[i * window + j] = (float)((series[start + i + j] - mean) / std);
                targets[i] = (float)((series[start + i + window - 1 + horizon] - mean) / std);
            }
            return new InMemoryDataset(tensor(features, [count, window, 1]), tensor(targets, [count, 1]));
        }

        return new TimeSeriesData(name, Part(0, trainLength), Part(trainLength, validationLength), Part(trainLength + validationLength, testLength), mean, std, window, horizon);
    }
}
