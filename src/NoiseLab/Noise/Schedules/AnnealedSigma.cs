namespace NoiseLab.Noise.Schedules;

/// <summary>
/// Seed 004's annealed gradient noise: the <b>variance</b> is η/(1+t)^γ, so the standard deviation
/// is s = √(η/(1+t)^γ). Published callbacks have used η/(1+t)^γ as the standard deviation; that
/// is a different (much larger) noise for η &lt; 1.
/// </summary>
public sealed class AnnealedSigma : SigmaSchedule
{
    /// <summary>Variance <paramref name="eta"/> at t = 0, decaying with exponent <paramref name="gamma"/> (0.55 in seed 004).</summary>
    public AnnealedSigma(double eta, double gamma = 0.55)
    {
        if (!(eta >= 0) || !double.IsFinite(eta))
            throw new ArgumentOutOfRangeException(nameof(eta), eta, "eta must be a finite number >= 0.");
        if (!(gamma >= 0) || !double.IsFinite(gamma))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be a finite number >= 0.");
        Eta = eta;
        Gamma = gamma;
    }

    /// <summary>The variance at step 0.</summary>
    public double Eta { get; }

    /// <summary>The decay exponent.</summary>
    public double Gamma { get; }

    /// <summary>The variance η/(1+t)^γ at step <paramref name="step"/>.</summary>
    public double Variance(long step) => Eta / Math.Pow(1 + step, Gamma);

    /// <inheritdoc />
    public override double At(long step, int epoch) => Math.Sqrt(Variance(step));

    /// <inheritdoc />
    public override string ToString() => $"sqrt({Eta:G4}/(1+t)^{Gamma:G3})";
}
