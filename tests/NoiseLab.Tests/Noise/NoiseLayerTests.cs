using NoiseLab.Noise;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Noise;

public sealed class NoiseLayerTests
{
    private static Tensor Input() => randn(new long[] { 1000, 1000 }, generator: new Generator(5)).mul_(3).add_(2);

    public static TheoryData<string> Layers => ["gaussian", "uniform"];

    private static NoiseLayer Create(string kind, double sigma, long seed = 1, NoiseScale scale = NoiseScale.Absolute) =>
        kind == "gaussian" ? new GaussianNoise(sigma, seed, scale) : new UniformNoise(sigma, seed, scale);

    [Theory]
    [MemberData(nameof(Layers))]
    public void Eval_mode_is_the_identity_bit_for_bit(string kind)
    {
        using Tensor x = Input();
        using var layer = Create(kind, 0.5);
        layer.eval();

        using Tensor y = layer.forward(x);

        Assert.True(y.eq(x).all().item<bool>());
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Sigma_zero_is_the_identity_in_training(string kind)
    {
        using Tensor x = Input();
        using var layer = Create(kind, 0.0);
        layer.train();

        using Tensor y = layer.forward(x);

        Assert.True(y.eq(x).all().item<bool>());
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Training_adds_zero_mean_noise_with_standard_deviation_sigma(string kind)
    {
        using Tensor x = Input();
        using var layer = Create(kind, 0.5);
        layer.train();

        using Tensor noise = layer.forward(x).sub(x);

        // Four standard errors: SE(mean) = s/√n, SE(std) = s·√((κ − 1)/(4n)), κ = 3 (Gaussian) or 9/5 (uniform).
        const double n = 1e6;
        double seStd = 0.5 * Math.Sqrt(((kind == "gaussian" ? 3.0 : 1.8) - 1) / (4 * n));
        Assert.InRange(noise.mean().item<float>(), -4 * 0.5 / Math.Sqrt(n), 4 * 0.5 / Math.Sqrt(n));
        Assert.InRange(noise.std().item<float>(), 0.5 - 4 * seStd, 0.5 + 4 * seStd);
    }

    [Fact]
    public void Relative_scale_gives_sigma_times_the_batch_std()
    {
        using Tensor x = Input();
        using var layer = Create("gaussian", 0.1, scale: NoiseScale.RelativeToStd);
        layer.train();

        using Tensor noise = layer.forward(x).sub(x);

        double expected = 0.1 * x.std().item<float>();
        double seStd = expected * Math.Sqrt(2 / (4 * 1e6));
        Assert.InRange(noise.std().item<float>(), expected - 4 * seStd, expected + 4 * seStd);
    }

    [Fact]
    public void The_same_seed_and_draw_replay_and_successive_draws_differ()
    {
        using Tensor x = Input();
        // A layer's stream also carries a salt from TorchSharp's global generator: the same manual seed, the same salt.
        manual_seed(4);
        using var first = Create("gaussian", 0.5, seed: 9);
        manual_seed(4);
        using var second = Create("gaussian", 0.5, seed: 9);
        first.train();
        second.train();

        using Tensor a = first.forward(x), b = second.forward(x), c = first.forward(x);

        Assert.True(a.eq(b).all().item<bool>());
        Assert.False(a.eq(c).all().item<bool>());
        Assert.Equal(2, first.Draws);
    }

    [Fact]
    public void Gradients_flow_through_unchanged()
    {
        using Tensor x = ones(4, 3).requires_grad_();
        using var layer = Create("gaussian", 1.0);
        layer.train();

        layer.forward(x).sum().backward();

        Assert.True(x.grad!.eq(1).all().item<bool>());
    }

    [Fact]
    public void A_negative_sigma_names_the_argument()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianNoise(-1));

        Assert.Equal("sigma", error.ParamName);
    }
}
