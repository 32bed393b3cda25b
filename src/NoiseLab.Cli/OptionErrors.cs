using System.Globalization;
using System.Text.RegularExpressions;

namespace NoiseLab.Cli;

/// <summary>
/// Rewrites the command-line parser's errors in NoiseLab's words: a value that is not a number names the
/// option, the value and the form it needs, never the .NET type it was to become.
/// </summary>
internal static partial class OptionErrors
{
    /// <summary>NoiseLab's sentence for one of the parser's error messages.</summary>
    public static string Rewrite(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Match missing = MissingValue().Match(message);
        if (missing.Success)
            return $"{missing.Groups["option"].Value} needs a value after it; see 'noiselab COMMAND --help' for its form.";
        Match match = CannotParse().Match(message);
        if (!match.Success)
            return message;
        string value = match.Groups["value"].Value, option = match.Groups["option"].Value, type = match.Groups["type"].Value;
        string shown = value.Length <= 40 ? value : value[..40] + "…";
        return type switch
        {
            "System.Int32" or "System.Int64" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number) =>
                string.Create(CultureInfo.InvariantCulture, $"{option} must be a whole number{(Math.Abs(number) > int.MaxValue ? $" of at most {(type == "System.Int32" ? int.MaxValue : long.MaxValue):N0}" : "")}; got '{shown}'."),
            "System.Int32" or "System.Int64" => $"{option} must be a whole number (e.g. 3); got '{shown}'.",
            "System.Double" or "System.Single" => $"{option} must be a finite number written like 0.05 or 1e-3; got '{shown}'.",
            _ => $"{option} cannot take the value '{shown}'; see 'noiselab COMMAND --help' for its form.",
        };
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']*)' as expected type '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Required argument missing for option: '(?<option>[^']*)'")]
    private static partial Regex MissingValue();
}
