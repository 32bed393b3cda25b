using NoiseLab.Interop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Diagnostics;

/// <summary>
/// Curvature of a loss at the current parameters, from Hessian-vector products (double backward,
/// never the Hessian itself): the largest eigenvalue by power iteration ("sharpness", which seed 003
/// asks for to compare the minima found with and without noise) and the trace by Hutchinson's
/// estimator E[zᵀHz] with Rademacher z.
/// </summary>
public static class Sharpness
{
    /// <summary>H·v for the loss <paramref name="loss"/> computes, with respect to <paramref name="parameters"/>.</summary>
    public static Tensor[] HessianVectorProduct(Func<Tensor> loss, IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> vector)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(vector);
        using var scope = NewDisposeScope();
        Tensor value = loss();
        // PyTorch defaults retain_graph to create_graph; TorchSharp does not, and the second pass needs the graph.
        IList<Tensor> gradients = torch.autograd.grad([value], [.. parameters], retain_graph: true, create_graph: true);
        Tensor dot = gradients.Zip(vector, (g, v) => g.mul(v).sum()).Aggregate((a, b) => a.add(b, ScalarConstants.One));
        IList<Tensor> product = torch.autograd.grad([dot], [.. parameters]);
        return [.. product.Select(p => p.detach().MoveToOuterDisposeScope())];
    }

    /// <summary>
    /// The eigenvalue of largest magnitude, by <paramref name="iterations"/> steps of power iteration
    /// from a random start drawn with <paramref name="generator"/> (the Rayleigh quotient of the last iterate).
    /// </summary>
    public static double TopEigenvalue(Func<Tensor> loss, IReadOnlyList<Parameter> parameters, int iterations, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = NewDisposeScope();
        Tensor[] v = [.. parameters.Select(p => randn(p.shape, generator: generator))];
        Normalize(v);
        double eigenvalue = 0;
        for (int i = 0; i < iterations; i++)
        {
            Tensor[] hv = HessianVectorProduct(loss, parameters, v);
            eigenvalue = Dot(v, hv);
            double norm = Math.Sqrt(Dot(hv, hv));
            if (norm == 0)
                return 0;
            using Scalar scale = norm.ToScalar();
            v = [.. hv.Select(t => t.div(scale))];
        }
        return eigenvalue;
    }

    /// <summary>Hutchinson's estimate of tr(H): the mean of zᵀHz over <paramref name="samples"/> Rademacher vectors z.</summary>
    public static double Trace(Func<Tensor> loss, IReadOnlyList<Parameter> parameters, int samples, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        ArgumentNullException.ThrowIfNull(parameters);
        double sum = 0;
        for (int i = 0; i < samples; i++)
        {
            using var scope = NewDisposeScope();
            Tensor[] z = [.. parameters.Select(p => randint(0, 2, p.shape, dtype: p.dtype, generator: generator).mul_(ScalarConstants.Two).sub_(ScalarConstants.One))];
            sum += Dot(z, HessianVectorProduct(loss, parameters, z));
        }
        return sum / samples;
    }

    private static double Dot(IReadOnlyList<Tensor> a, IReadOnlyList<Tensor> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Count; i++)
        {
            using Tensor product = a[i].mul(b[i]).sum();
            sum += product.ToDoubleHeld();
        }
        return sum;
    }

    private static void Normalize(Tensor[] v)
    {
        using Scalar norm = Math.Sqrt(Dot(v, v)).ToScalar();
        foreach (Tensor t in v)
            t.div_(norm);
    }
}
