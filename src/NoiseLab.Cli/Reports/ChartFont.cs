using SkiaSharp;

namespace NoiseLab.Cli.Reports;

/// <summary>
/// The font the charts' text is drawn in. Skia's Linux build without dependencies reads fonts from
/// /usr/share/fonts and nowhere else; with none there it draws every text as nothing, so the report
/// says so instead of writing plots without labels silently.
/// </summary>
internal static class ChartFont
{
    /// <summary>What the report prints when <see cref="Family"/> is null.</summary>
    public const string MissingWarning =
        "no font was found under /usr/share/fonts, so the plots have no text; 'apt-get install fonts-dejavu-core' (Debian, Ubuntu) adds one.";

    // Sans-serif families with Latin letters, digits, σ and ±, in the order Debian-like systems are likely to have them.
    private static readonly string[] s_preferred = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Open Sans", "Lato", "FreeSans"];
    private static readonly Lazy<string?> s_family = new(Choose);

    /// <summary>The family the charts use, or null when no installed font can draw their labels.</summary>
    public static string? Family => s_family.Value;

    private static string? Choose()
    {
        string[] installed = [.. SKFontManager.Default.FontFamilies.Order(StringComparer.Ordinal)];
        return s_preferred.FirstOrDefault(installed.Contains) ?? installed.FirstOrDefault(CanDrawLabels);
    }

    // Symbol and math fonts (FontAwesome, cmex10) are installed as families too; they lack letters.
    private static bool CanDrawLabels(string family)
    {
        using SKTypeface? typeface = SKTypeface.FromFamilyName(family);
        return typeface is not null && typeface.FamilyName == family && typeface.ContainsGlyphs("epoch loss accuracy 0123456789.-");
    }
}
