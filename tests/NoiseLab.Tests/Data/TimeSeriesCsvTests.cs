using NoiseLab.Data;
using NoiseLab.Tests.Support;
using TorchSharp;

namespace NoiseLab.Tests.Data;

public sealed class TimeSeriesCsvTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_column_is_read_by_name_in_row_order()
    {
        string path = _folder.File("series.csv");
        File.WriteAllText(path, "date,temp_min,note\n2020-01-01,1.5,a\n2020-01-02,-2,b\n\n2020-01-03,3e1,c\n");

        Assert.Equal([1.5, -2, 30], TimeSeriesCsv.ReadColumn(path, "TEMP_MIN"));
    }

    [Fact]
    public void Bad_files_name_the_problem()
    {
        string path = _folder.File("series.csv");
        File.WriteAllText(path, "date,temp_min\n2020-01-01,1.5\n2020-01-02,warm\n");

        var missingColumn = Assert.Throws<DataSetException>(() => TimeSeriesCsv.ReadColumn(path, "temp_max"));
        var notNumber = Assert.Throws<DataSetException>(() => TimeSeriesCsv.ReadColumn(path, "temp_min"));
        var missingFile = Assert.Throws<DataSetException>(() => TimeSeriesCsv.ReadColumn(_folder.File("none.csv"), "x"));

        Assert.Equal($"CSV file '{path}' has no column 'temp_max'; its columns are: date, temp_min.", missingColumn.Message);
        Assert.Equal($"CSV file '{path}' line 3: 'warm' in column 'temp_min' is not a number.", notNumber.Message);
        Assert.EndsWith("none.csv' does not exist.", missingFile.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_split_chronologically_and_normalize_with_training_statistics_only()
    {
        double[] series = [.. Enumerable.Range(0, 100).Select(i => (double)i)];

        using TimeSeriesData data = TimeSeriesCsv.Window(series, "ramp", window: 5, horizon: 2, validationFraction: 0.2, testFraction: 0.2);

        // 60 / 20 / 20 values; windows of 5 predicting 2 ahead need 7, so 54 / 14 / 14 samples.
        Assert.Equal((54, 14, 14), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal(29.5, data.Mean, 12);
        Assert.Equal(Math.Sqrt(Enumerable.Range(0, 60).Sum(i => (i - 29.5) * (i - 29.5)) / 59), data.Std, 12);
        float[] first = data.Validation.Features[0].flatten().data<float>().ToArray();
        Assert.Equal([60, 61, 62, 63, 64], first.Select(v => Math.Round(data.Denormalize(v), 3)));
        Assert.Equal(66, Math.Round(data.Denormalize(data.Validation.Targets[0, 0].item<float>()), 3));
        Assert.Equal(99, Math.Round(data.Denormalize(data.Test.Targets[^1, 0].item<float>()), 3));
        Assert.Equal([54L, 5, 1], data.Train.Features.shape);
    }

    [Fact]
    public void Seattles_daily_minimum_temperature_is_a_real_series_here()
    {
        double[] series = TimeSeriesCsv.ReadColumn(TimeSeriesCsv.SeattleWeather, "temp_min");

        using TimeSeriesData data = TimeSeriesCsv.Window(series, "seattle temp_min", window: 30);

        Assert.Equal(1461, series.Length);
        Assert.Equal(5.0, series[0]);
        Assert.InRange(data.Mean, 5, 12);
        Assert.Equal(1461 - 219 - 219 - 30, data.Train.Count);
    }
}
