namespace NoiseLab.Noise.Schedules;

/// <summary>A factor r^e that shrinks the noise by r every epoch (seed 000: s0·r^e).</summary>
public sealed class ExponentialDecay : SigmaSchedule
{
    /// <summary>Decays by <paramref name="rate"/> per epoch; rate in (0, 1].</summary>
    public ExponentialDecay(double rate)
    {
        if (!(rate > 0 && rate <= 1))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "decay must be in (0, 1].");
        Rate = rate;
    }

    /// <summary>The factor per epoch.</summary>
    public double Rate { get; }

    /// <inheritdoc />
    public override double At(long step, int epoch) => Math.Pow(Rate, epoch);

    /// <inheritdoc />
    public override string ToString() => $"{Rate:G4}^e";
}
