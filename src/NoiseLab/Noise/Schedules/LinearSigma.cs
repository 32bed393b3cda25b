namespace NoiseLab.Noise.Schedules;

/// <summary>A factor that moves linearly from <c>start</c> at epoch 0 to <c>end</c> at epoch E, and stays there.</summary>
public sealed class LinearSigma : SigmaSchedule
{
    /// <summary>From <paramref name="start"/> to <paramref name="end"/> (both ≥ 0) over <paramref name="epochs"/> epochs.</summary>
    public LinearSigma(double start, double end, int epochs)
    {
        if (!(start >= 0 && end >= 0) || !double.IsFinite(start) || !double.IsFinite(end))
            throw new ArgumentOutOfRangeException(nameof(end), end, "The linear schedule's ends must be finite numbers >= 0.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        Start = start;
        End = end;
        Epochs = epochs;
    }

    /// <summary>The value at epoch 0.</summary>
    public double Start { get; }

    /// <summary>The value from epoch E on.</summary>
    public double End { get; }

    /// <summary>E.</summary>
    public int Epochs { get; }

    /// <inheritdoc />
    public override double At(long step, int epoch) => Start + (End - Start) * Math.Min(epoch, Epochs) / Epochs;

    /// <inheritdoc />
    public override string ToString() => $"linear({Start:G4}->{End:G4} over {Epochs})";
}
