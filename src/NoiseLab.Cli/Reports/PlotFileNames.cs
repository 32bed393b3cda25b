using System.Text;

namespace NoiseLab.Cli.Reports;

/// <summary>
/// Names for a report's PNG files that are safe on every file system and in a URL without escaping:
/// lower-case ASCII letters, digits, '.', '-' and '_' (<c>SWEEP_CONFIGURATION_FIGURE.png</c>), unique
/// within one report (a second name that comes out the same gets "-2", "-3", ...).
/// </summary>
internal sealed class PlotFileNames
{
    private const int PartLength = 60;
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    /// <summary>A new file name for <paramref name="figure"/> of <paramref name="configuration"/> in <paramref name="sweep"/>.</summary>
    public string Next(string sweep, string configuration, string figure)
    {
        string stem = $"{Slug(sweep)}_{Slug(configuration)}_{Slug(figure)}";
        string name = stem + ".png";
        for (int copy = 2; !_taken.Add(name); copy++)
            name = $"{stem}-{copy}.png";
        return name;
    }

    /// <summary>
    /// <paramref name="text"/> in lower case with every run of other characters turned into one '-',
    /// without leading or trailing '-' or '.', at most 60 characters; "x" when nothing is left.
    /// </summary>
    public static string Slug(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slug = new StringBuilder();
        foreach (char c in text.ToLowerInvariant())
        {
            bool kept = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.';
            if (kept)
                slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-')
                slug.Append('-');
        }
        string trimmed = slug.ToString().Trim('-', '.');
        if (trimmed.Length > PartLength)
            trimmed = trimmed[..PartLength].TrimEnd('-', '.');
        return trimmed.Length == 0 ? "x" : trimmed;
    }
}
