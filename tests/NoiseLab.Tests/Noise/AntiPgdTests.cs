using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Randomness;
using NoiseLab.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Noise;

public sealed class AntiPgdTests
{
    [Fact]
    public void The_increments_telescope_so_the_net_perturbation_after_k_steps_is_xi_k()
    {
        torch.manual_seed(6);
        using var harness = new StepHarness(new Mlp(30, [40], 5));
        var injector = new AntiPgd(NoiseSettings.Gaussian(0.05));
        injector.OnTrainStart(harness.Context);
        float[][] start = harness.Weights();

        for (long step = 0; step < 25; step++)
        {
            harness.Context.Step = step;
            injector.OnAfterOptimizerStep(harness.Context);
        }

        var key = NoiseKey.For(42, "noise/anti");
        float[][] now = harness.Weights();
        for (int g = 0; g < start.Length; g++)
        {
            var xi = new float[start[g].Length];
            NoiseSampler.Fill(xi, NoiseDistribution.Gaussian, 0.05f, key.WithTensor(g).WithDraw(24));
            for (int i = 0; i < xi.Length; i++)
                Assert.Equal(start[g][i] + xi[i], now[g][i], 1e-5f);
        }
        Assert.Equal(24, injector.CaptureState().PreviousDraw);
    }

    [Fact]
    public void State_carries_over_to_a_fresh_injector_and_the_stream_continues()
    {
        torch.manual_seed(6);
        using var harnessA = new StepHarness(new Mlp(10, [8], 3));
        torch.manual_seed(6);
        using var harnessB = new StepHarness(new Mlp(10, [8], 3));
        var uninterrupted = new AntiPgd(NoiseSettings.Gaussian(0.1));
        var first = new AntiPgd(NoiseSettings.Gaussian(0.1));
        uninterrupted.OnTrainStart(harnessA.Context);
        first.OnTrainStart(harnessB.Context);
        for (long step = 0; step < 3; step++)
        {
            harnessA.Context.Step = harnessB.Context.Step = step;
            uninterrupted.OnAfterOptimizerStep(harnessA.Context);
            first.OnAfterOptimizerStep(harnessB.Context);
        }

        var resumed = new AntiPgd(NoiseSettings.Gaussian(0.1));
        resumed.OnTrainStart(harnessB.Context);
        resumed.RestoreState(first.CaptureState());
        for (long step = 3; step < 6; step++)
        {
            harnessA.Context.Step = harnessB.Context.Step = step;
            uninterrupted.OnAfterOptimizerStep(harnessA.Context);
            resumed.OnAfterOptimizerStep(harnessB.Context);
        }

        Assert.Equal(harnessA.Weights(), harnessB.Weights());
    }

    [Theory]
    [InlineData(NoiseScale.Absolute)]
    [InlineData(NoiseScale.RelativeToStd)]
    public void Keeping_the_last_draw_and_regenerating_it_give_the_same_bits(NoiseScale scale)
    {
        torch.manual_seed(8);
        using var harnessA = new StepHarness(new Mlp(12, [9], 4));
        torch.manual_seed(8);
        using var harnessB = new StepHarness(new Mlp(12, [9], 4));
        var settings = NoiseSettings.Gaussian(0.2) with { Scale = scale };
        using var keeping = new AntiPgd(settings);
        using var regenerating = new AntiPgd(settings) { RegenerateNoise = true };
        keeping.OnTrainStart(harnessA.Context);
        regenerating.OnTrainStart(harnessB.Context);
        float[][] start = harnessA.Weights();

        for (long step = 0; step < 6; step++)
        {
            harnessA.Context.Step = harnessB.Context.Step = step;
            keeping.OnAfterOptimizerStep(harnessA.Context);
            regenerating.OnAfterOptimizerStep(harnessB.Context);
        }

        Assert.Equal(harnessA.Weights(), harnessB.Weights());
        Assert.NotEqual(start[0], harnessA.Weights()[0]);
    }
}
