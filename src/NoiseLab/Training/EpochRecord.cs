namespace NoiseLab.Training;

/// <summary>What one epoch of training measured. Accuracies are fractions in [0, 1].</summary>
public sealed record EpochRecord
{
    /// <summary>The epoch, counted from 1.</summary>
    public required int Epoch { get; init; }

    /// <summary>Mean training loss: over the epoch's minibatches (as trained), or a clean eval-mode pass when the trainer is asked for one.</summary>
    public required double TrainLoss { get; init; }

    /// <summary>Training accuracy, measured like <see cref="TrainLoss"/>; null for tasks without one (forecasting).</summary>
    public double? TrainAccuracy { get; init; }

    /// <summary>Loss on the validation split, in eval mode at the end of the epoch.</summary>
    public required double ValLoss { get; init; }

    /// <summary>Accuracy on the validation split, in eval mode at the end of the epoch; null for tasks without one.</summary>
    public double? ValAccuracy { get; init; }

    /// <summary>Every figure of the task on the training split (accuracy; or MSE and MAE in the target's units), measured like <see cref="TrainLoss"/>.</summary>
    public IReadOnlyDictionary<string, double> TrainMetrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Every figure of the task on the validation split.</summary>
    public IReadOnlyDictionary<string, double> ValMetrics { get; init; } = new Dictionary<string, double>();

    /// <summary>L2 norm of the whole gradient (all parameters), before clipping, averaged over the epoch's steps.</summary>
    public required double GradNorm { get; init; }

    /// <summary>Relative change of <see cref="GradNorm"/> from the previous epoch, (g_e − g_{e−1})/g_{e−1}; 0 for the first epoch.</summary>
    public double GradNormChange { get; init; }

    /// <summary>L2 norm of the change in all parameters from the start to the end of the epoch.</summary>
    public required double WeightUpdateNorm { get; init; }

    /// <summary>The learning rate at the end of the epoch.</summary>
    public required double LearningRate { get; init; }

    /// <summary>Each noise injector's level s, averaged over the epoch's steps, by injector name.</summary>
    public IReadOnlyDictionary<string, double> Sigmas { get; init; } = new Dictionary<string, double>();

    private readonly Dictionary<string, double> _diagnostics = [];

    /// <summary>
    /// Per-step diagnostics of the injectors (e.g. gradient noise's σ√n/‖g‖), averaged over the epoch,
    /// and per-epoch annotations added at epoch end (e.g. the adaptive controller's decision).
    /// </summary>
    public IReadOnlyDictionary<string, double> Diagnostics
    {
        get => _diagnostics;
        init => _diagnostics = new Dictionary<string, double>(value);
    }

    /// <summary>Adds a per-epoch figure to <see cref="Diagnostics"/>; for callbacks at <see cref="TrainingCallback.OnEpochEnd"/>.</summary>
    public void Annotate(string name, double value)
    {
        ArgumentNullException.ThrowIfNull(name);
        _diagnostics[name] = value;
    }

    /// <summary>
    /// Records are equal when every figure is, including the dictionaries' contents; a NaN equals a NaN (as
    /// <see cref="double.Equals(double)"/> has it), so a diverged epoch's record equals itself and its stored copy.
    /// </summary>
    public bool Equals(EpochRecord? other) =>
        other is not null
        // ValueTuple.Equals compares with double.Equals; the tuple's == would make NaN unequal to itself.
        && (Epoch, TrainLoss, TrainAccuracy, ValLoss, ValAccuracy, GradNorm, GradNormChange, WeightUpdateNorm, LearningRate).Equals(
            (other.Epoch, other.TrainLoss, other.TrainAccuracy, other.ValLoss, other.ValAccuracy, other.GradNorm, other.GradNormChange, other.WeightUpdateNorm, other.LearningRate))
        && SameContents(TrainMetrics, other.TrainMetrics)
        && SameContents(ValMetrics, other.ValMetrics)
        && SameContents(Sigmas, other.Sigmas)
        && SameContents(Diagnostics, other.Diagnostics);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Epoch, TrainLoss, ValLoss, GradNorm, WeightUpdateNorm);

    private static bool SameContents(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out double v) && v.Equals(e.Value));
}
