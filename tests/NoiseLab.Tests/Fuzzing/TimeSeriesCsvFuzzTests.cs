using System.Globalization;
using System.Text;
using CsCheck;
using NoiseLab.Data;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Fuzzing;

/// <summary>CSV time series damaged every way: they read and window, or fail with a <see cref="DataSetException"/>.</summary>
public sealed class TimeSeriesCsvFuzzTests : IDisposable
{
    private static readonly byte[][] s_tokens = Mutation.Text(",", "\"", "\n", "\r\n", "\r", "NaN", "Infinity", "1e999", "1e308", "-1e308", "-", "value", "\0",
        "\uFEFF", ",,,,,,,,", "\"\"", "1,5", "0x10", "1e-400", "  ", "\u00e9", "\ud83d\ude00");
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // A header and 40 to 60 rows: a date, the value column (varying), and another column.
    private static readonly Gen<byte[]> s_valid = Gen.Double[-50, 50].Array[40, 60].Select(values =>
    {
        var text = new StringBuilder("date,value,\"other\"\n");
        for (int i = 0; i < values.Length; i++)
            text.Append(CultureInfo.InvariantCulture, $"2020-01-{i + 1:D2},{values[i] + i % 3:R},{i}\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    });

    private static readonly Gen<byte[]> s_inputs = Gen.Select(s_valid, Mutation.Several(s_tokens), Mutation.ApplyAll);

    private void Read(byte[] bytes)
    {
        string path = _folder.File("series.csv");
        File.WriteAllBytes(path, bytes);
        double[] series = TimeSeriesCsv.ReadColumn(path, "value");
        using TimeSeriesData data = TimeSeriesCsv.Window(series, "series.csv:value", window: 3, horizon: 1);
        if (!double.IsFinite(data.Mean) || !double.IsFinite(data.Std) || data.Std <= 0)
            throw new FuzzFailureException($"The series was normalized with mean {data.Mean} and standard deviation {data.Std}.");
    }

    [Fact]
    public void A_damaged_series_reads_or_fails_with_a_DataSetException()
    {
        Read(s_valid.Single());
        FuzzCheck.Property<byte[], DataSetException>(s_inputs, Read, bytes => bytes.Length, iterations: 300, print: bytes => Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Values_too_large_to_normalize_are_a_data_set_error()
    {
        double[] series = [.. Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? 1e308 : -1e308)];

        var error = Assert.Throws<DataSetException>(() => TimeSeriesCsv.Window(series, "huge.csv:value", window: 3));

        Assert.Equal("The training part of 'huge.csv:value' has values too large to normalize (mean 0 or standard deviation Infinity is not finite); scale the column down before reading it.", error.Message);
    }
}
