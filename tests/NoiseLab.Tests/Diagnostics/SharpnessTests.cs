using NoiseLab.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Diagnostics;

public sealed class SharpnessTests
{
    // A = Q·diag(5, 2, 1, −0.5)·Qᵀ with a fixed rotation Q: the Hessian of 0.5·wᵀAw everywhere.
    private static (Tensor A, double[] Eigenvalues) Quadratic()
    {
        double[] eigenvalues = [5, 2, 1, -0.5];
        using var generator = new Generator(11);
        var (q, _) = linalg.qr(randn(new long[] { 4, 4 }, dtype: ScalarType.Float64, generator: generator));
        Tensor a = q.matmul(diag(tensor(eigenvalues))).matmul(q.t());
        return (a.to_type(ScalarType.Float32), eigenvalues);
    }

    [Fact]
    public void Power_iteration_finds_the_top_eigenvalue_of_a_known_Hessian()
    {
        var (a, eigenvalues) = Quadratic();
        var w = new Parameter(randn(4));
        Tensor Loss() => w.matmul(a.matmul(w)).mul(0.5);
        using var generator = new Generator(3);

        double top = Sharpness.TopEigenvalue(Loss, [w], iterations: 40, generator);

        Assert.Equal(eigenvalues.Max(), top, 4);
    }

    [Fact]
    public void Hutchinson_estimates_the_trace_within_four_standard_errors()
    {
        var (a, eigenvalues) = Quadratic();
        var w = new Parameter(randn(4));
        Tensor Loss() => w.matmul(a.matmul(w)).mul(0.5);
        using var generator = new Generator(5);
        const int samples = 2000;

        double trace = Sharpness.Trace(Loss, [w], samples, generator);

        // Var(zᵀAz) = 2·Σ_{i≠j} A_ij² for Rademacher z.
        double offDiagonal = a.square().sum().item<float>() - a.diag().square().sum().item<float>();
        double se = Math.Sqrt(2 * offDiagonal / samples);
        Assert.InRange(trace, eigenvalues.Sum() - 4 * se, eigenvalues.Sum() + 4 * se);
    }

    [Fact]
    public void A_Hessian_vector_product_equals_A_times_v()
    {
        var (a, _) = Quadratic();
        var w = new Parameter(randn(4));
        Tensor v = tensor(new float[] { 1, -2, 0.5f, 3 });

        Tensor[] hv = Sharpness.HessianVectorProduct(() => w.matmul(a.matmul(w)).mul(0.5), [w], [v]);

        float[] expected = a.matmul(v).data<float>().ToArray();
        float[] actual = hv[0].data<float>().ToArray();
        for (int i = 0; i < 4; i++)
            Assert.Equal(expected[i], actual[i], 4);
    }
}
