using NoiseLab.Statistics;

namespace NoiseLab.Experiments;

/// <summary>
/// What a plan's mean against the no-noise baseline's concludes, by direction only (the rule of <see cref="Comparison.Judge"/>):
/// for figures where neither direction is "better" in itself, or where lower is (epochs to a target, sharpness).
/// </summary>
public enum ShiftVerdict
{
    /// <summary>The plan's mean is lower, the interval lies below 0 and the corrected p-value is below α.</summary>
    Lower,

    /// <summary>The plan's mean is higher, the interval lies above 0 and the corrected p-value is below α.</summary>
    Higher,

    /// <summary>Anything else.</summary>
    NoDetectableDifference,
}

/// <summary>Reads <see cref="Comparison.Judge"/>'s verdict, which speaks of a higher mean as helping, as a direction.</summary>
internal static class ShiftVerdicts
{
    public static ShiftVerdict Of(Verdict verdict) => verdict switch
    {
        Verdict.Helps => ShiftVerdict.Higher,
        Verdict.Hurts => ShiftVerdict.Lower,
        _ => ShiftVerdict.NoDetectableDifference,
    };
}
