using NoiseLab.Noise;
using NoiseLab.Noise.Schedules;
using NoiseLab.Randomness;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Adaptive;

/// <summary>
/// Seed 002's adaptive noise injection in the training loop: at each epoch end the
/// <see cref="AdaptiveNoiseController"/> reads the epoch's figures and decides; during the next
/// epoch, "stuck" adds N(0, σ²) (or uniform) noise to the gradient after clipping and "overfitting"
/// adds it to the weights after each optimizer step. Each epoch's decision is written into that
/// epoch's record as diagnostics adaptive.stuck, adaptive.overfitting, adaptive.f_stuck,
/// adaptive.sigma_next and adaptive.cooldown.
/// </summary>
public sealed class AdaptiveNoise : NoiseInjector
{
    private readonly AdaptiveNoiseController _controller;

    /// <summary>Creates the injector for a run of <paramref name="totalEpochs"/> epochs.</summary>
    public AdaptiveNoise(AdaptiveNoiseOptions options, int totalEpochs, string name = "adaptive")
        : base(name, new NoiseSettings(options?.Distribution ?? NoiseDistribution.Gaussian, new ConstantSigma(0)))
    {
        _controller = new AdaptiveNoiseController(options!, totalEpochs);
    }

    /// <summary>The rules and every decision so far.</summary>
    public AdaptiveNoiseController Controller => _controller;

    /// <inheritdoc />
    public override void OnAfterClipping(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_controller.Current is not { Stuck: true, Sigma: > 0 } decision || !context.Model.training)
            return;
        context.ReportSigma(Name + ".gradient", decision.Sigma);
        // Seed 002: the level is each tensor's standard deviation, absolute; even draws are the gradient's.
        NoiseFunctional.AddGradientNoise(context.Parameters, Settings.Distribution, (float)decision.Sigma, Key, 2 * context.Step,
            gradientNorm: context.GradientNorm);
    }

    /// <inheritdoc />
    public override void OnAfterOptimizerStep(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_controller.Current is not { Overfitting: true, Sigma: > 0 } decision || !context.Model.training)
            return;
        context.ReportSigma(Name + ".weight", decision.Sigma);
        // Every tensor with the full level (no √n split, no relative scale); odd draws are the weights'.
        NoiseFunctional.AddWeightNoise(context.Parameters, Settings.Distribution, (float)decision.Sigma, Key, 2 * context.Step + 1,
            PerturbationScope.EachTensor);
    }

    /// <summary>The controller is a function of the epochs it has seen, so a resumed run replays them.</summary>
    public override void OnResume(TrainingContext context, IReadOnlyList<EpochRecord> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (_controller.Decisions.Count > 0)
            throw new InvalidOperationException("The adaptive controller has already observed epochs; resume with a new injector.");
        foreach (EpochRecord record in history)
            _controller.Observe(record.Epoch, record.GradNorm, record.WeightUpdateNorm, record.TrainLoss, record.ValLoss);
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        AdaptiveDecision decision = _controller.Observe(record.Epoch, record.GradNorm, record.WeightUpdateNorm, record.TrainLoss, record.ValLoss);
        record.Annotate(Name + ".stuck", decision.Stuck ? 1 : 0);
        record.Annotate(Name + ".overfitting", decision.Overfitting ? 1 : 0);
        record.Annotate(Name + ".f_stuck", decision.FStuck);
        record.Annotate(Name + ".sigma_next", decision.Sigma);
        record.Annotate(Name + ".cooldown", decision.CooldownLeft);
    }
}
