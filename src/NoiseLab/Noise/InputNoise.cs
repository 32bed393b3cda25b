using NoiseLab.Training;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// Noise on the inputs of each training batch (seeds 000 and 001), without touching the model:
/// the batch is replaced by a noisy copy at step start. Evaluation never passes through the
/// trainer's step moments, so it always sees clean inputs. For token ids use <see cref="EmbeddingNoise"/>.
/// </summary>
public sealed class InputNoise(NoiseSettings settings, string name = "input") : NoiseInjector(name, settings)
{
    /// <inheritdoc />
    public override void OnStepStart(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        double sigma = BeginStep(context);
        Tensor inputs = context.Inputs!;
        if (!context.Model.training || sigma == 0)
            return;
        if (!inputs.is_floating_point())
            throw new InvalidOperationException($"Input noise needs floating-point inputs but the batch is {inputs.dtype}; for token ids, put the noise in embedding space (--noise embedding:...).");
        if (RecordDraws)
            RecordDraw(inputs.numel(), Settings.EffectiveSigma(sigma, inputs), Key.WithDraw(context.Step));
        context.Inputs = NoiseFunctional.AddNoise(inputs, Settings.Distribution, sigma, Key.WithDraw(context.Step), Settings.Scale);
    }
}
