namespace NoiseLab.Noise.Schedules;

/// <summary>A factor that multiplies by <c>factor</c> every <c>every</c> epochs: factor^⌊e/every⌋.</summary>
public sealed class StepSigma : SigmaSchedule
{
    /// <summary>Steps down by <paramref name="factor"/> (in (0, 1]) every <paramref name="every"/> epochs.</summary>
    public StepSigma(int every, double factor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(every);
        if (!(factor > 0 && factor <= 1))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The step factor must be in (0, 1].");
        Every = every;
        Factor = factor;
    }

    /// <summary>Epochs between steps.</summary>
    public int Every { get; }

    /// <summary>The factor per step.</summary>
    public double Factor { get; }

    /// <inheritdoc />
    public override double At(long step, int epoch) => Math.Pow(Factor, epoch / Every);

    /// <inheritdoc />
    public override string ToString() => $"{Factor:G4}^floor(e/{Every})";
}
