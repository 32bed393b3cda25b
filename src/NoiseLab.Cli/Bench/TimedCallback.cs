using System.Diagnostics;
using NoiseLab.Training;

namespace NoiseLab.Cli.Bench;

/// <summary>
/// Passes every moment of the loop to an injector and times the four per-step moments, so that a
/// run also yields the injector's own work per step, which the machine's noise hardly moves. Work
/// done in forward hooks (activation and embedding noise) happens inside the model's call and is
/// not seen here; it shows only in the end-to-end ratio.
/// </summary>
internal sealed class TimedCallback(TrainingCallback inner) : TrainingCallback
{
    private readonly List<double> _perStep = [];
    private long _stepTicks;

    /// <summary>The median milliseconds per step spent in the injector's step moments; NaN before a step.</summary>
    public double MedianStepMilliseconds() => _perStep.Count == 0 ? double.NaN : Spread.Of(_perStep).Median;

    /// <inheritdoc />
    public override void OnTrainStart(TrainingContext context) => inner.OnTrainStart(context);

    /// <inheritdoc />
    public override void OnResume(TrainingContext context, IReadOnlyList<EpochRecord> history) => inner.OnResume(context, history);

    /// <inheritdoc />
    public override void OnEpochStart(TrainingContext context) => inner.OnEpochStart(context);

    /// <inheritdoc />
    public override void OnStepStart(TrainingContext context)
    {
        _stepTicks = 0;
        Time(() => inner.OnStepStart(context));
    }

    /// <inheritdoc />
    public override void OnAfterBackward(TrainingContext context) => Time(() => inner.OnAfterBackward(context));

    /// <inheritdoc />
    public override void OnAfterClipping(TrainingContext context) => Time(() => inner.OnAfterClipping(context));

    /// <inheritdoc />
    public override void OnAfterOptimizerStep(TrainingContext context)
    {
        Time(() => inner.OnAfterOptimizerStep(context));
        _perStep.Add(Stopwatch.GetElapsedTime(0, _stepTicks).TotalMilliseconds);
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochRecord record) => inner.OnEpochEnd(context, record);

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context) => inner.OnTrainEnd(context);

    private void Time(Action moment)
    {
        long start = Stopwatch.GetTimestamp();
        moment();
        _stepTicks += Stopwatch.GetTimestamp() - start;
    }
}
