using NoiseLab.Interop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>The L2 norm of a model's whole gradient, and clipping by it.</summary>
public static class GradientNorm
{
    /// <summary>‖g‖₂ over all parameters that have a gradient; 0 when none has.</summary>
    public static double Compute(IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        // One fused norm per tensor: no gradient-sized temporary, unlike squaring then summing.
        double sumOfSquares = 0;
        foreach (Tensor p in parameters)
        {
            using Tensor? grad = p.grad;
            if (grad is null)
                continue;
            // Tensor.norm passes its order as a number; linalg.vector_norm makes a Scalar of it that nothing holds,
            // which a collection on another thread can free while libtorch reads it.
            using Tensor norm = grad.norm(2f);
            double value = norm.ToDoubleHeld();
            sumOfSquares += value * value;
        }
        return Math.Sqrt(sumOfSquares);
    }

    /// <summary>The norm a gradient of norm <paramref name="norm"/> has after <see cref="Clip"/> to <paramref name="maxNorm"/> (null: no clipping).</summary>
    public static double AfterClipping(double norm, double? maxNorm) =>
        maxNorm is double max ? norm * Math.Min(1.0, max / (norm + 1e-6)) : norm;

    /// <summary>
    /// Scales the gradient down so that its norm is at most <paramref name="maxNorm"/>, the way
    /// PyTorch's clip_grad_norm_ does (factor maxNorm / (norm + 1e-6) when the norm exceeds it).
    /// </summary>
    /// <returns>The norm before clipping.</returns>
    public static double Clip(IReadOnlyList<Tensor> parameters, double maxNorm)
    {
        double norm = Compute(parameters);
        double factor = maxNorm / (norm + 1e-6);
        if (factor < 1.0)
        {
            using Scalar scale = factor.ToScalar();
            foreach (Tensor p in parameters)
            {
                using Tensor? grad = p.grad;
                grad?.mul_(scale);
            }
        }
        return norm;
    }
}
