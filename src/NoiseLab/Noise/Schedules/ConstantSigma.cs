namespace NoiseLab.Noise.Schedules;

/// <summary>s = s0 at every step.</summary>
public sealed class ConstantSigma : SigmaSchedule
{
    /// <summary>A constant level <paramref name="sigma"/> (≥ 0).</summary>
    public ConstantSigma(double sigma)
    {
        if (!(sigma >= 0) || !double.IsFinite(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be a finite number >= 0.");
        Sigma = sigma;
    }

    /// <summary>The level.</summary>
    public double Sigma { get; }

    /// <inheritdoc />
    public override double At(long step, int epoch) => Sigma;

    /// <inheritdoc />
    public override string ToString() => $"{Sigma:G4}";
}
