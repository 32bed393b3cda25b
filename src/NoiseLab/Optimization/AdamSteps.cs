using NoiseLab.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Optimization;

/// <summary>What <see cref="SafeAdam"/> and <see cref="SafeAdamW"/> share: the step's denominator, as TorchSharp computes it.</summary>
internal static class AdamSteps
{
    /// <summary>√v / √(1 − β₂ᵗ) + ε, with v the running maximum of the second moment under AMSGrad (kept in <paramref name="maximum"/>).</summary>
    public static Tensor Denominator(Tensor secondMoment, ref Tensor? maximum, bool amsgrad, double correction2, double eps, HeldScalars scalars)
    {
        if (amsgrad)
        {
            Tensor previous = maximum!;
            maximum = torch.maximum(previous, secondMoment).DetachFromDisposeScope();
            previous.Dispose();
            secondMoment = maximum;
        }
        // add_(Scalar) would make its alpha of 1 as a temporary Scalar; it is passed held too.
        return secondMoment.sqrt().div(scalars.Of(Math.Sqrt(correction2))).add_(scalars.Of(eps), scalars.Of(1));
    }
}
