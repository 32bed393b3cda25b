using NoiseLab.Configuration;
using NoiseLab.Noise;

namespace NoiseLab.Tuning;

/// <summary>
/// A noise plan in its command-line form (<see cref="NoiseSpec.AcceptedForms"/>) with the sigma left
/// out, e.g. <c>input:gaussian</c> or <c>input:uniform:relative=true</c>; <see cref="WithSigma"/> fills
/// it in as <c>sigma=VALUE</c>. Only plans whose level is a sigma qualify (not NEFTune's alpha, annealed
/// gradient noise's eta or the adaptive controller).
/// </summary>
public sealed class NoisePlanTemplate
{
    private NoisePlanTemplate(string text) => Text = text;

    /// <summary>The plan as written, without a sigma.</summary>
    public string Text { get; }

    /// <summary>Checks <paramref name="text"/> with <see cref="NoiseSpec.Parse"/> (a sigma of 1 filled in) for a run of <paramref name="epochs"/> epochs.</summary>
    /// <exception cref="ArgumentException">The plan gives a sigma itself, has no sigma, or is malformed; the message says which.</exception>
    public static NoisePlanTemplate Parse(string text, int epochs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        text = text.Trim();
        string[] parts = text.Split(':', 3);
        if (parts[0].Trim().Equals("adaptive", StringComparison.OrdinalIgnoreCase)
            || (parts.Length > 1 && parts[1].Trim().ToLowerInvariant() is "neftune" or "annealed"))
            throw new ArgumentException($"--noise '{text}' has no sigma to search; the search takes input, activation, weight, perturb, and embedding or gradient gaussian|uniform plans.", nameof(text));
        if (parts.Length < 2)
            _ = NoiseSpec.Parse(text, epochs); // throws NoiseSpec's own "needs PLACE:KIND" message
        if (parts.Length == 3 && SpecArguments.Parse(parts[2], $"--noise {parts[0]}:{parts[1]}").Has("sigma"))
            throw new ArgumentException($"--noise '{text}' gives a sigma; leave it out, the search fills it in.", nameof(text));
        var template = new NoisePlanTemplate(text);
        string probe = template.WithSigma(1)!;
        try
        {
            _ = NoiseSpec.Parse(probe, epochs);
        }
        catch (ArgumentException e)
        {
            // NoiseSpec quotes the plan it parsed; the user wrote it without the probe's sigma.
            throw new ArgumentException(e.Message.Replace($"'{probe}'", $"'{text}'", StringComparison.Ordinal), nameof(text), e);
        }
        return template;
    }

    /// <summary>The plan with <c>sigma=<paramref name="sigma"/></c> (<see cref="SigmaGrid.Format"/>); null for sigma 0, which means no noise at all.</summary>
    public string? WithSigma(double sigma)
    {
        if (sigma == 0)
            return null;
        string level = "sigma=" + SigmaGrid.Format(sigma);
        return Text.Split(':', 3).Length == 3 ? $"{Text},{level}" : $"{Text}:{level}";
    }
}
