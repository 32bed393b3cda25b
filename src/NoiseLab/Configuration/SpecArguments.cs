using System.Globalization;

namespace NoiseLab.Configuration;

/// <summary>
/// The <c>key=value,key=value</c> part of a command-line spec such as <c>cosine:min=1e-4</c>.
/// Typed getters validate as they read; <see cref="RejectUnused"/> then refuses keys nobody read,
/// so a misspelt key is an error instead of a silent default.
/// </summary>
public sealed class SpecArguments
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _context;

    private SpecArguments(Dictionary<string, string> values, string context)
    {
        _values = values;
        _context = context;
    }

    /// <summary>Parses <paramref name="text"/>; <paramref name="context"/> names the spec in error messages.</summary>
    public static SpecArguments Parse(string text, string context)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == part.Length - 1)
                throw new ArgumentException($"{context}: '{part}' is not of the form key=value.", nameof(text));
            string key = part[..equals].Trim();
            if (!values.TryAdd(key, part[(equals + 1)..].Trim()))
                throw new ArgumentException($"{context}: '{key}' is given twice.", nameof(text));
        }
        return new SpecArguments(values, context);
    }

    /// <summary>The keys given.</summary>
    public IEnumerable<string> Keys => _values.Keys;

    /// <summary>Whether <paramref name="key"/> was given (asking counts as accepting the key).</summary>
    public bool Has(string key)
    {
        _read.Add(key);
        return _values.ContainsKey(key);
    }

    /// <summary>The value of <paramref name="key"/> as a finite number, or <paramref name="fallback"/> when absent.</summary>
    public double Double(string key, double fallback)
    {
        if (!TryRead(key, out string? text))
            return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw new ArgumentException($"{_context}: {key}={text} is not a number.", key);
        return value;
    }

    /// <summary>The value of <paramref name="key"/> as an integer, or <paramref name="fallback"/> when absent.</summary>
    public int Int(string key, int fallback)
    {
        if (!TryRead(key, out string? text))
            return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            throw new ArgumentException($"{_context}: {key}={text} is not an integer.", key);
        return value;
    }

    /// <summary>The value of <paramref name="key"/> as an integer from <paramref name="min"/> to <paramref name="max"/>, or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="ArgumentException">The value is not an integer or out of range; the message names the key and the range.</exception>
    public int Int(string key, int fallback, int min, int max = int.MaxValue)
    {
        int value = Int(key, fallback);
        return value >= min && value <= max ? value
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{_context}: {key} must be a whole number {(max == int.MaxValue ? $"of at least {min}" : $"from {min} to {max}")}; got {value}."), key);
    }

    /// <summary>The value of <paramref name="key"/> as a probability in [0, 1) (a dropout rate), or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="ArgumentException">The value is not a number in [0, 1); the message names the key.</exception>
    public double Fraction(string key, double fallback)
    {
        double value = Double(key, fallback);
        return value is >= 0 and < 1 ? value
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{_context}: {key} must be at least 0 and less than 1; got {value}."), key);
    }

    /// <summary>The value of <paramref name="key"/> as true/false, or <paramref name="fallback"/> when absent.</summary>
    public bool Bool(string key, bool fallback)
    {
        if (!TryRead(key, out string? text))
            return fallback;
        return text.ToLowerInvariant() switch
        {
            "true" or "yes" or "1" => true,
            "false" or "no" or "0" => false,
            _ => throw new ArgumentException($"{_context}: {key}={text} is not true or false.", key),
        };
    }

    /// <summary>The value of <paramref name="key"/> as text, or <paramref name="fallback"/> when absent.</summary>
    public string Text(string key, string fallback) => TryRead(key, out string? text) ? text : fallback;

    /// <summary>
    /// The sentence of an <see cref="ArgumentException"/> without .NET's " (Parameter 'x')" suffix and
    /// final period, for quoting inside a message that names the spec.
    /// </summary>
    public static string Sentence(ArgumentException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Message.Split(" (Parameter", 2)[0].TrimEnd('.');
    }

    /// <summary>Throws when a key was given that no getter read.</summary>
    public void RejectUnused()
    {
        string[] unused = [.. _values.Keys.Where(k => !_read.Contains(k))];
        if (unused.Length > 0)
        {
            string accepted = _read.Count == 0 ? "none" : string.Join(", ", _read);
            throw new ArgumentException($"{_context}: unknown key(s) {string.Join(", ", unused)}; accepted: {accepted}.");
        }
    }

    private bool TryRead(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? text)
    {
        _read.Add(key);
        return _values.TryGetValue(key, out text);
    }
}
