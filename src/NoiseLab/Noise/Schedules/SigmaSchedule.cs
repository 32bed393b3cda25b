namespace NoiseLab.Noise.Schedules;

/// <summary>
/// The noise level s as a pure function of the optimizer step t (from 0) and the epoch e (from 0:
/// the first epoch is e = 0). Pure functions need no state to checkpoint and can be plotted.
/// Schedules multiply: <c>new ConstantSigma(0.3) * new ExponentialDecay(0.9)</c> is 0.3·0.9^e.
/// </summary>
public abstract class SigmaSchedule
{
    /// <summary>s at step <paramref name="step"/> of epoch <paramref name="epoch"/>.</summary>
    public abstract double At(long step, int epoch);

    /// <summary>A readable formula, for logs and docs.</summary>
    public abstract override string ToString();

    /// <summary>The product of two schedules.</summary>
    public static SigmaSchedule operator *(SigmaSchedule left, SigmaSchedule right) => new ProductSchedule(left, right);

    /// <summary>The same as the * operator, for languages without operator overloading.</summary>
    public SigmaSchedule Multiply(SigmaSchedule other) => this * other;
}
