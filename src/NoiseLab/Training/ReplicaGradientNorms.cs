using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>
/// Each replica's whole-gradient norm over stacked parameters ([k, …] each), and clipping by it, with the
/// arithmetic of <see cref="GradientNorm"/> per replica: one norm per tensor slice in the tensor's dtype, squared
/// and summed in double in parameter order; a clipped replica's slices multiplied by its factor in the tensor's dtype.
/// </summary>
internal static class ReplicaGradientNorms
{
    /// <summary>‖g_r‖₂ of every replica r, over the gradients of <paramref name="parameters"/>.</summary>
    public static double[] Compute(IReadOnlyList<Parameter> parameters, int width)
    {
        using var scope = NewDisposeScope();
        var norms = new List<Tensor>();
        foreach (Parameter parameter in parameters)
        {
            Tensor? grad = parameter.grad;
            if (grad is not null)
                norms.Add(grad.view(width, -1).norm(1, keepdim: false, p: 2f));
        }
        var result = new double[width];
        if (norms.Count == 0)
            return result;
        double[] values = stack(norms).to_type(ScalarType.Float64).data<double>().ToArray();
        for (int r = 0; r < width; r++)
        {
            double sumOfSquares = 0;
            for (int i = 0; i < norms.Count; i++)
            {
                double value = values[i * width + r];
                sumOfSquares += value * value;
            }
            result[r] = Math.Sqrt(sumOfSquares);
        }
        return result;
    }

    /// <summary>Scales each replica's gradient whose norm exceeds <paramref name="maxNorm"/> down to it, as <see cref="GradientNorm.Clip"/> does.</summary>
    public static void Clip(IReadOnlyList<Parameter> parameters, IReadOnlyList<double> norms, double maxNorm)
    {
        // 1 for a replica that is not clipped: multiplying by exactly 1 leaves its bits as they are.
        double[] factors = [.. norms.Select(norm => maxNorm / (norm + 1e-6) is var factor && factor < 1.0 ? factor : 1.0)];
        if (factors.All(f => f == 1.0))
            return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor scale = tensor(factors).unsqueeze(1);
        foreach (Parameter parameter in parameters)
        {
            Tensor? grad = parameter.grad;
            if (grad is null)
                continue;
            grad.view(norms.Count, -1).mul_(scale.to(grad.dtype, grad.device));
        }
    }
}
