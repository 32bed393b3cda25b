namespace NoiseLab.Training;

/// <summary>
/// One figure of an <see cref="EpochRecord"/>, named as Keras and Lightning users name it:
/// <c>val_loss</c>, <c>val_accuracy</c>, <c>train_loss</c>, <c>train_accuracy</c>; <c>val_NAME</c> or
/// <c>train_NAME</c> for a task figure in <see cref="EpochRecord.ValMetrics"/> / <see cref="EpochRecord.TrainMetrics"/>
/// (<c>val_mse</c>, <c>val_entity_f1</c>); or any key of <see cref="EpochRecord.Diagnostics"/>.
/// Early stopping and sweep pruning both watch a figure through this.
/// </summary>
public sealed class EpochMonitor
{
    /// <summary>Watches <paramref name="name"/>; <paramref name="mode"/> null takes <see cref="DefaultMode"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public EpochMonitor(string name, MonitorMode? mode = null)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("The monitor must name a figure such as val_loss, val_accuracy, train_loss or a metric (val_mse), not an empty text.", nameof(name));
        Name = name;
        Mode = mode ?? DefaultMode(name);
    }

    /// <summary>The figure's name.</summary>
    public string Name { get; }

    /// <summary>Whether lower or higher is better.</summary>
    public MonitorMode Mode { get; }

    /// <summary>
    /// Max for figures whose name ends in <c>accuracy</c>, <c>acc</c> or <c>f1</c> (as Keras's "auto" mode
    /// guesses from the name); Min for everything else (losses, MSE, MAE).
    /// </summary>
    public static MonitorMode DefaultMode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.EndsWith("accuracy", StringComparison.OrdinalIgnoreCase) || name.EndsWith("acc", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("f1", StringComparison.OrdinalIgnoreCase) ? MonitorMode.Max : MonitorMode.Min;
    }

    /// <summary>Parses <c>min</c> or <c>max</c>.</summary>
    /// <exception cref="ArgumentException">Anything else.</exception>
    public static MonitorMode ParseMode(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "min" => MonitorMode.Min,
        "max" => MonitorMode.Max,
        _ => throw new ArgumentException($"The mode must be min or max, not '{text}'.", nameof(text)),
    };

    /// <summary>The figure in <paramref name="record"/>, or null when the record does not have it.</summary>
    public double? TryRead(EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        switch (Name)
        {
            case "val_loss": return record.ValLoss;
            case "train_loss": return record.TrainLoss;
            case "val_accuracy" when record.ValAccuracy is double val: return val;
            case "train_accuracy" when record.TrainAccuracy is double train: return train;
        }
        if (Name.StartsWith("val_", StringComparison.Ordinal) && record.ValMetrics.TryGetValue(Name[4..], out double valMetric))
            return valMetric;
        if (Name.StartsWith("train_", StringComparison.Ordinal) && record.TrainMetrics.TryGetValue(Name[6..], out double trainMetric))
            return trainMetric;
        return record.Diagnostics.TryGetValue(Name, out double diagnostic) ? diagnostic : null;
    }

    /// <summary>The figure in <paramref name="record"/>.</summary>
    /// <exception cref="InvalidOperationException">The record does not have it; the message lists the names it has.</exception>
    public double Read(EpochRecord record) => TryRead(record) ?? throw new InvalidOperationException(
        $"The monitored figure '{Name}' is not in epoch {record.Epoch}'s record; it has: {string.Join(", ", Names(record))}.");

    /// <summary>Whether <paramref name="value"/> is better than <paramref name="best"/> by more than <paramref name="minDelta"/>.</summary>
    public bool Improves(double value, double best, double minDelta) =>
        Mode == MonitorMode.Min ? value < best - minDelta : value > best + minDelta;

    /// <summary>The worst possible value, which any finite figure improves on.</summary>
    public double Worst => Mode == MonitorMode.Min ? double.PositiveInfinity : double.NegativeInfinity;

    private static IEnumerable<string> Names(EpochRecord record) =>
        new[] { "val_loss", "train_loss" }
            .Concat(record.ValAccuracy is null ? [] : ["val_accuracy"])
            .Concat(record.TrainAccuracy is null ? [] : ["train_accuracy"])
            .Concat(record.ValMetrics.Keys.Select(k => "val_" + k))
            .Concat(record.TrainMetrics.Keys.Select(k => "train_" + k))
            .Concat(record.Diagnostics.Keys)
            .Distinct();
}
