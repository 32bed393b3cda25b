namespace NoiseLab.Noise.Schedules;

/// <summary>The product of schedules, e.g. a constant level times a decay times a cosine damping.</summary>
public sealed class ProductSchedule(SigmaSchedule left, SigmaSchedule right) : SigmaSchedule
{
    /// <inheritdoc />
    public override double At(long step, int epoch) => left.At(step, epoch) * right.At(step, epoch);

    /// <inheritdoc />
    public override string ToString() => $"{left}*{right}";
}
