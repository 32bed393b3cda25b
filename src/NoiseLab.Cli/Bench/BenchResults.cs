using System.Globalization;
using System.Text.Json;

namespace NoiseLab.Cli.Bench;

/// <summary>
/// The figures of one <c>noiselab bench</c> run under stable dotted keys (overhead.gradient,
/// rng.gaussian_speedup_vs_torch, alloc.bytes_per_step.gradient, …), and a few words about the
/// machine and the settings under "meta".
/// </summary>
internal sealed class BenchResults
{
    private readonly SortedDictionary<string, double> _values = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _meta = new(StringComparer.Ordinal);

    /// <summary>The numbers so far, by key.</summary>
    public IReadOnlyDictionary<string, double> Values => _values;

    /// <summary>Records a number; a key is written once.</summary>
    public void Add(string key, double value)
    {
        if (!_values.TryAdd(key, value))
            throw new InvalidOperationException($"The bench figure '{key}' was measured twice.");
    }

    /// <summary>Records a ratio's median under <paramref name="key"/> and its quartiles under KEY.p25 and KEY.p75.</summary>
    public void AddSpread(string key, Spread spread)
    {
        ArgumentNullException.ThrowIfNull(spread);
        Add(key, spread.Median);
        Add(key + ".p25", spread.P25);
        Add(key + ".p75", spread.P75);
    }

    /// <summary>Records a word about the run (machine, settings).</summary>
    public void Describe(string key, string value) => _meta[key] = value;

    /// <summary>Writes one JSON object: the numbers under their keys, and "meta".</summary>
    public void WriteJson(Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartObject("meta");
        foreach (var (key, value) in _meta)
            json.WriteString(key, value);
        json.WriteEndObject();
        foreach (var (key, value) in _values)
            json.WriteNumber(key, Math.Round(value, 6));
        json.WriteEndObject();
    }

    /// <summary>Every figure, one per line, for people.</summary>
    public void WriteText(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var (key, value) in _meta)
            writer.WriteLine($"{key,-52} {value}");
        foreach (var (key, value) in _values)
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key,-52} {value:G6}"));
    }
}
