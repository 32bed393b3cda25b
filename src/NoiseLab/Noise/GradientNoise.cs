using NoiseLab.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// Noise on the gradient (seed 004, Neelakantan et al.): g ← clip(g) + N(0, s_t²), after clipping and
/// before the optimizer step, once per optimizer step. With <see cref="Schedules.AnnealedSigma"/>,
/// s_t² = η/(1+t)^γ is the variance. Each step also reports σ·√n/‖g‖, the noise's expected norm over
/// the (clipped) gradient's, as the diagnostic "NAME.noise_to_gradient": the scale of the noise must be
/// read against the gradient, the learning rate and the momentum.
/// </summary>
public sealed class GradientNoise(NoiseSettings settings, string name = "gradient") : NoiseInjector(name, settings)
{
    /// <inheritdoc />
    public override void OnAfterClipping(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        double sigma = BeginStep(context);
        if (!context.Model.training || sigma == 0)
            return;
        if (RecordDraws)
            RecordGradientDraws(context.Parameters, sigma, context.Step);
        double clippedNorm = GradientNorm.AfterClipping(context.GradientNorm, context.Options.ClipNorm);
        double ratio = NoiseFunctional.AddGradientNoise(context.Parameters, Settings.Distribution, sigma, Key, context.Step, Settings.Scale, clippedNorm);
        if (double.IsFinite(ratio))
            context.ReportDiagnostic(Name + ".noise_to_gradient", ratio);
    }

    // What NoiseFunctional.AddGradientNoise is about to draw: tensor i, from key (i, step), at its level.
    private void RecordGradientDraws(IReadOnlyList<Parameter> parameters, double sigma, long step)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            using Tensor? grad = parameters[i].grad;
            if (grad is not null)
                RecordDraw(grad.numel(), Settings.EffectiveSigma(sigma, grad), Key.WithTensor(i).WithDraw(step));
        }
    }
}
