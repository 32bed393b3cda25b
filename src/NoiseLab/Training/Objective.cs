using NoiseLab.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>
/// What a task optimizes and how it scores: the loss, and the figures reported besides it
/// (accuracy for classification; MSE and MAE for forecasting), each a mean over samples.
/// </summary>
public abstract class Objective
{
    /// <summary>The mean loss of a batch (a scalar tensor that backward can run through).</summary>
    public abstract Tensor Loss(Tensor output, Tensor target);

    /// <summary>The names of the figures this task reports, e.g. ["accuracy"] or ["mse", "mae"].</summary>
    public abstract IReadOnlyList<string> MetricNames { get; }

    /// <summary>How many running sums <see cref="AddMetricSums"/> fills; one per figure unless <see cref="Finish"/> is overridden.</summary>
    public virtual int SumCount => MetricNames.Count;

    /// <summary>Adds the batch's contribution to each running sum (by default, each figure summed over samples).</summary>
    public abstract void AddMetricSums(Tensor output, Tensor target, double[] sums);

    /// <summary>Turns the running sums over <paramref name="samples"/> samples into the figures (by default, means over samples).</summary>
    public virtual IReadOnlyDictionary<string, double> Finish(double[] sums, long samples)
    {
        ArgumentNullException.ThrowIfNull(sums);
        return MetricNames.Select((name, i) => (name, i)).ToDictionary(e => e.name, e => sums[e.i] / samples);
    }
}

/// <summary>Classification over logits [batch, classes] with class-index targets: cross-entropy and top-1 accuracy.</summary>
public sealed class ClassificationObjective : Objective
{
    /// <inheritdoc />
    public override Tensor Loss(Tensor output, Tensor target) => nn.functional.cross_entropy(output, target);

    /// <inheritdoc />
    public override IReadOnlyList<string> MetricNames { get; } = ["accuracy"];

    /// <inheritdoc />
    public override void AddMetricSums(Tensor output, Tensor target, double[] sums)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sums);
        using Tensor predicted = output.argmax(1);
        using Tensor hits = predicted.eq(target);
        using Tensor count = hits.sum();
        sums[0] += count.item<long>();
    }
}

/// <summary>
/// Regression on normalized targets: MSE as the loss, and MSE and MAE reported in the target's own
/// units (multiplied back by <see cref="Scale"/>, the normalization's standard deviation).
/// </summary>
public sealed class RegressionObjective(double scale = 1) : Objective
{
    /// <summary>The factor that turns a normalized error into the target's units.</summary>
    public double Scale { get; } = scale > 0 ? scale : throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be positive.");

    /// <inheritdoc />
    public override Tensor Loss(Tensor output, Tensor target) => nn.functional.mse_loss(output, target);

    /// <inheritdoc />
    public override IReadOnlyList<string> MetricNames { get; } = ["mse", "mae"];

    /// <inheritdoc />
    public override void AddMetricSums(Tensor output, Tensor target, double[] sums)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sums);
        using var scope = NewDisposeScope();
        using Scalar scale = Scale.ToScalar();
        Tensor error = output.sub(target).mul(scale);
        double perSample = output.numel() / Math.Max(1, output.shape[0]);
        sums[0] += error.pow(ScalarConstants.Two).sum().ToDoubleHeld() / perSample;
        sums[1] += error.abs().sum().ToDoubleHeld() / perSample;
    }
}
