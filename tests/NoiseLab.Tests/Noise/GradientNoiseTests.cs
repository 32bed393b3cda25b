using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Noise.Schedules;
using NoiseLab.Optimization;
using NoiseLab.Randomness;
using NoiseLab.Tests.Support;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Noise;

public sealed class GradientNoiseTests
{
    /// <summary>After the injector: the gradient with noise, and the same gradient minus the regenerated noise.</summary>
    private sealed class GradientProbe(double sigma) : TrainingCallback
    {
        public List<(double WithNoise, double WithoutNoise)> Norms { get; } = [];

        public override void OnAfterClipping(TrainingContext context)
        {
            var key = NoiseKey.For(context.Options.Seed, "noise/gradient");
            double with = 0, without = 0;
            for (int i = 0; i < context.Parameters.Count; i++)
            {
                using Tensor grad = context.Parameters[i].grad!;
                with += grad.square().sum().item<float>();
                using Tensor noise = zeros_like(grad);
                NoiseSampler.Fill_(noise, NoiseDistribution.Gaussian, (float)sigma, key.WithTensor(i).WithDraw(context.Step));
                without += grad.sub(noise).square().sum().item<float>();
            }
            Norms.Add((Math.Sqrt(with), Math.Sqrt(without)));
        }
    }

    [Fact]
    public void Noise_is_added_after_clipping_so_it_is_not_clipped_away()
    {
        using DataSplits data = Blobs.Create(train: 64);
        torch.manual_seed(1);
        using var model = new Mlp(8, [16], 3);
        using var optimizer = new OptimizerSpec(OptimizerKind.Sgd, 0.01).Create(model.parameters());
        var probe = new GradientProbe(sigma: 0.1);
        var trainer = new Trainer(model, optimizer, new TrainerOptions { Epochs = 1, BatchSize = 16, ClipNorm = 1e-3, Seed = 5 })
            .Add(new GradientNoise(NoiseSettings.Gaussian(0.1)))
            .Add(probe);

        TrainingResult result = trainer.Fit(data);

        long n = model.parameters().Sum(p => p.numel());
        Assert.Equal(4, probe.Norms.Count);
        Assert.All(probe.Norms, norms =>
        {
            // Without the noise the gradient is clipped to 1e-3; with it, it has about σ·√n.
            Assert.True(norms.WithoutNoise <= 1e-3 * 1.0001, $"clipped gradient {norms.WithoutNoise}");
            Assert.InRange(norms.WithNoise, 0.9 * 0.1 * Math.Sqrt(n), 1.1 * 0.1 * Math.Sqrt(n));
        });
        Assert.Equal(0.1, result.History[0].Sigmas["gradient"], 12);
        Assert.True(result.History[0].Diagnostics["gradient.noise_to_gradient"] > 100);
    }

    [Fact]
    public void Annealed_noise_injects_the_square_root_of_eta_over_one_plus_t_to_the_gamma()
    {
        torch.manual_seed(1);
        using var harness = new StepHarness(new Mlp(784, [500], 10));
        using Tensor inputs = randn(new long[] { 4, 784 }, generator: new Generator(2));
        harness.Backward(inputs, arange(4, dtype: ScalarType.Int64));
        using Tensor clean = harness.Context.Parameters[0].grad!.clone();
        var injector = new GradientNoise(new NoiseSettings(NoiseDistribution.Gaussian, new AnnealedSigma(eta: 0.01, gamma: 0.55)));
        injector.OnTrainStart(harness.Context);
        harness.Context.Step = 99;

        injector.OnAfterClipping(harness.Context);

        double expected = Math.Sqrt(0.01 / Math.Pow(100, 0.55));
        double measured = harness.Context.Parameters[0].grad!.sub(clean).std().item<float>();
        double n = clean.numel();
        Assert.InRange(measured, expected * (1 - 4 * Math.Sqrt(0.5 / n)), expected * (1 + 4 * Math.Sqrt(0.5 / n)));
    }
}
