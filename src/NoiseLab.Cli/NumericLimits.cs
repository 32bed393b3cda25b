using System.Globalization;

namespace NoiseLab.Cli;

/// <summary>
/// The ranges of the numeric options that define a run, checked before anything is loaded: each value either
/// runs or is refused in one sentence naming the option, the range and the value. Infinity and NaN are refused
/// however they are written.
/// </summary>
internal static class NumericLimits
{
    /// <summary>The most epochs a run may ask for.</summary>
    public const int MaxEpochs = 100_000;

    /// <summary>The largest batch (and largest number of micro-batches per step).</summary>
    public const int MaxBatch = 1_000_000;

    /// <summary>The largest learning rate: beyond it every step overflows float32 weights.</summary>
    public const double MaxLearningRate = 1_000;

    /// <summary>The largest weight decay or clipping norm worth a run.</summary>
    public const double MaxScale = 1e6;

    /// <summary>Throws unless <paramref name="value"/> is from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static int Whole(int value, string option, int min, int max) =>
        value >= min && value <= max ? value
            : throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{option} must be a whole number from {min:N0} to {max:N0}; got {value:N0}."));

    /// <summary>Throws unless <paramref name="value"/> is finite and in the range (<paramref name="min"/> excluded when <paramref name="exclusiveMin"/>).</summary>
    public static double Real(double value, string option, double min, double max, bool exclusiveMin)
    {
        bool aboveMin = exclusiveMin ? value > min : value >= min;
        if (double.IsFinite(value) && aboveMin && value <= max)
            return value;
        string range = string.Create(CultureInfo.InvariantCulture, $"{(exclusiveMin ? "greater than" : "at least")} {min} and at most {max:G}");
        string got = double.IsNaN(value) ? "NaN" : double.IsInfinity(value) ? (value > 0 ? "infinity" : "-infinity") : value.ToString("R", CultureInfo.InvariantCulture);
        throw new UsageException($"{option} must be a finite number {range}; got {got}.");
    }
}
