using System.Globalization;
using NoiseLab.Training;

namespace NoiseLab.Experiments.Pruning;

/// <summary>
/// Optuna's median pruning as a training callback: at the end of each epoch after the warm-up, the run's
/// best value of the monitored figure so far is compared with the median of the finished runs' values at
/// that epoch; when it is worse, the run ends with <see cref="RunPrunedException"/>. A run none of whose
/// epochs has a finite value is pruned too (Optuna prunes a NaN). Add it after the callback that stores
/// each epoch, so that the epoch it was pruned at is kept.
/// </summary>
/// <remarks>
/// Its only state is the best value so far, which it rebuilds from the history on resume; so a resumed run
/// is pruned at the same epoch as long as the finished runs it is compared with are the same.
/// </remarks>
public sealed class MedianPruner : TrainingCallback
{
    private readonly PruningOptions _options;
    private readonly EpochMonitor _monitor;
    private readonly Func<int, IReadOnlyList<double>> _finishedAt;
    private double _best;

    /// <summary>Creates the pruner.</summary>
    /// <param name="options">What to watch and when; validated here.</param>
    /// <param name="finishedAt">The values of the monitored figure at an epoch of the finished runs compared with.</param>
    public MedianPruner(PruningOptions options, Func<int, IReadOnlyList<double>> finishedAt)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(finishedAt);
        options.Validate();
        _options = options;
        _monitor = new EpochMonitor(options.Monitor, options.Mode);
        _finishedAt = finishedAt;
        _best = _monitor.Worst;
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <inheritdoc />
    public override void OnTrainStart(TrainingContext context) => _best = _monitor.Worst;

    /// <inheritdoc />
    public override void OnResume(TrainingContext context, IReadOnlyList<EpochRecord> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        foreach (EpochRecord record in history)
            Take(record);
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Take(record);
        if (record.Epoch <= _options.Warmup)
            return;
        double[] others = [.. _finishedAt(record.Epoch).Where(double.IsFinite)];
        if (others.Length < _options.MinRuns)
            return;
        double median = Median(others);
        if (double.IsFinite(_best) && !_monitor.Improves(median, _best, 0))
            return;
        throw new RunPrunedException(string.Create(CultureInfo.InvariantCulture,
            $"pruned after epoch {record.Epoch}: its best {_monitor.Name} so far, {_best:G6}, is worse than the median {median:G6} of the {others.Length} finished runs of its configuration at that epoch."));
    }

    private void Take(EpochRecord record)
    {
        double value = _monitor.Read(record);
        if (double.IsFinite(value) && _monitor.Improves(value, _best, 0))
            _best = value;
    }
}
