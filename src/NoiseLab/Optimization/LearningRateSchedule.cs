using NoiseLab.Configuration;

namespace NoiseLab.Optimization;

/// <summary>
/// The learning rate as a function of the optimizer step. Schedules are pure functions of the
/// step (no hidden state), so a resumed run gets the same rate and a plot can draw them.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The rate for step <paramref name="step"/> (from 0) of a run of <paramref name="totalSteps"/> steps.</summary>
    public abstract double At(long step, long totalSteps);

    /// <summary>
    /// Parses the command-line form: <c>constant</c>, <c>cosine</c> or <c>cosine:min=1e-4</c>,
    /// <c>step:every=N,factor=F</c> (N in epochs), <c>restarts:every=50,min=1e-6,final=1e-5,mult=1</c>
    /// (seed 002's cosine annealing with decaying restarts).
    /// </summary>
    public static LearningRateSchedule Parse(string text, double baseRate, int stepsPerEpoch)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string name = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        var arguments = SpecArguments.Parse(colon < 0 ? "" : text[(colon + 1)..], $"--lr-schedule {name}");
        LearningRateSchedule schedule = name switch
        {
            "constant" => new ConstantLearningRate(baseRate),
            "cosine" => new CosineLearningRate(baseRate, arguments.Double("min", 0.0)),
            "step" => new StepLearningRate(baseRate, arguments.Int("every", 1) * (long)stepsPerEpoch, arguments.Double("factor", 0.1)),
            "restarts" => new CosineDecayingRestarts(baseRate, stepsPerEpoch, arguments.Int("every", 50), arguments.Double("min", 1e-6),
                arguments.Double("final", 1e-5), arguments.Double("mult", 1)),
            _ => throw new ArgumentException($"Unknown learning-rate schedule '{name}'; choose constant, cosine[:min=R], step[:every=EPOCHS,factor=F] or restarts[:every=50,min=1e-6,final=1e-5,mult=1].", nameof(text)),
        };
        arguments.RejectUnused();
        return schedule;
    }
}

/// <summary>The same rate at every step.</summary>
public sealed class ConstantLearningRate(double rate) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double At(long step, long totalSteps) => rate;
}

/// <summary>Cosine annealing from the base rate at step 0 to <c>min</c> at the last step (Loshchilov and Hutter, without restarts).</summary>
public sealed class CosineLearningRate : LearningRateSchedule
{
    private readonly double _max;
    private readonly double _min;

    /// <summary>Anneals from <paramref name="max"/> to <paramref name="min"/> (0 ≤ min ≤ max).</summary>
    public CosineLearningRate(double max, double min = 0)
    {
        if (!(min >= 0 && min <= max))
            throw new ArgumentOutOfRangeException(nameof(min), min, $"The cosine schedule's minimum must be between 0 and the learning rate {max}.");
        _max = max;
        _min = min;
    }

    /// <inheritdoc />
    public override double At(long step, long totalSteps) =>
        totalSteps <= 1 ? _max : _min + 0.5 * (_max - _min) * (1 + Math.Cos(Math.PI * step / (totalSteps - 1)));
}

/// <summary>The base rate multiplied by <c>factor</c> every <c>every</c> steps.</summary>
public sealed class StepLearningRate : LearningRateSchedule
{
    private readonly double _rate;
    private readonly long _every;
    private readonly double _factor;

    /// <summary>Multiplies <paramref name="rate"/> by <paramref name="factor"/> (in (0, 1]) each <paramref name="every"/> steps.</summary>
    public StepLearningRate(double rate, long every, double factor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(every);
        if (!(factor > 0 && factor <= 1))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The step schedule's factor must be in (0, 1].");
        _rate = rate;
        _every = every;
        _factor = factor;
    }

    /// <inheritdoc />
    public override double At(long step, long totalSteps) => _rate * Math.Pow(_factor, step / _every);
}
