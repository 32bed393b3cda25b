namespace NoiseLab.Models;

/// <summary>
/// A model named the way the command line names it: <c>NAME[:ARGUMENTS]</c>, e.g. <c>mlp:500,500</c>.
/// The registry entry for NAME interprets ARGUMENTS.
/// </summary>
/// <param name="Name">The registry name, lower case.</param>
/// <param name="Arguments">Everything after the first colon, or an empty string.</param>
public sealed record ModelSpec(string Name, string Arguments)
{
    /// <summary>Splits <paramref name="text"/> at its first colon.</summary>
    public static ModelSpec Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? new ModelSpec(text.Trim().ToLowerInvariant(), "")
            : new ModelSpec(text[..colon].Trim().ToLowerInvariant(), text[(colon + 1)..].Trim());
    }

    /// <inheritdoc />
    public override string ToString() => Arguments.Length == 0 ? Name : $"{Name}:{Arguments}";
}
