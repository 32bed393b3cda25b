using System.Diagnostics;
using NoiseLab.Training;

namespace NoiseLab.Cli.Bench;

/// <summary>
/// Times the steps of a run from one step's start to the next, so that each interval holds a whole
/// step with every callback's work in it. Added before any injector, its moment comes first.
/// </summary>
/// <remarks>
/// A run's step time is the 10th percentile of its intervals. Interference from other processes and
/// the host only ever lengthens a step, so a low percentile is the steadiest estimate of what the
/// step itself costs, noise included (work an injector adds is there in every step); the run's
/// one-off work (seeding, the validation and test passes) is left out.
/// </remarks>
internal sealed class StepClock : TrainingCallback
{
    private readonly List<long> _starts = [];

    /// <inheritdoc />
    public override void OnStepStart(TrainingContext context) => _starts.Add(Stopwatch.GetTimestamp());

    /// <summary>The 10th percentile of the milliseconds from one step's start to the next; NaN with fewer than two steps.</summary>
    public double StepMilliseconds()
    {
        if (_starts.Count < 2)
            return double.NaN;
        double[] intervals = [.. _starts.Zip(_starts.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b).TotalMilliseconds).Order()];
        return intervals[intervals.Length / 10];
    }
}
