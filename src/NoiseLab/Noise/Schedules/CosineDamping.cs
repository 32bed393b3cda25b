namespace NoiseLab.Noise.Schedules;

/// <summary>A factor 0.5·(1 + cos(π·e/E)) that takes the noise from full strength to 0 over E epochs (seed 002), and 0 after.</summary>
public sealed class CosineDamping : SigmaSchedule
{
    /// <summary>Damps over <paramref name="epochs"/> epochs (≥ 1).</summary>
    public CosineDamping(int epochs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        Epochs = epochs;
    }

    /// <summary>E, the length of the damping.</summary>
    public int Epochs { get; }

    /// <inheritdoc />
    public override double At(long step, int epoch) => 0.5 * (1 + Math.Cos(Math.PI * Math.Min(epoch, Epochs) / Epochs));

    /// <inheritdoc />
    public override string ToString() => $"0.5(1+cos(pi e/{Epochs}))";
}
