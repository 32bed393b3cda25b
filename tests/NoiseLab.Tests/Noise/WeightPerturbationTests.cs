using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Randomness;
using NoiseLab.Tests.Support;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Noise;

public sealed class WeightPerturbationTests
{
    private static StepHarness Harness(long seed = 3)
    {
        torch.manual_seed(seed);
        return new StepHarness(new Mlp(20, [30, 30], 4));
    }

    private static (Tensor Inputs, Tensor Targets) Batch() =>
        (randn(new long[] { 16, 20 }, generator: new Generator(8)), arange(16, dtype: ScalarType.Int64).remainder(4));

    [Theory]
    [InlineData(PerturbationScope.All)]
    [InlineData(PerturbationScope.Layerwise)]
    public void Before_gradient_restores_the_weights_bit_for_bit_after_backward(PerturbationScope scope)
    {
        using var harness = Harness();
        var injector = new WeightPerturbation(NoiseSettings.Gaussian(0.5), PerturbationTiming.BeforeGradient, scope);
        var (inputs, targets) = Batch();
        float[][] original = harness.Weights();
        injector.OnTrainStart(harness.Context);

        for (long step = 0; step < 7; step++)
        {
            harness.Context.Step = step;
            injector.OnStepStart(harness.Context);
            Assert.NotEqual(original[injector.LastPerturbedGroups[0]], harness.Weights()[injector.LastPerturbedGroups[0]]);
            harness.Backward(inputs, targets);
            injector.OnAfterBackward(harness.Context);
            Assert.Equal(original, harness.Weights());
        }
    }

    [Fact]
    public void Before_gradient_takes_the_gradient_at_the_perturbed_point()
    {
        using var harness = Harness();
        var injector = new WeightPerturbation(NoiseSettings.Gaussian(0.3), PerturbationTiming.BeforeGradient, PerturbationScope.Layerwise);
        var (inputs, targets) = Batch();
        injector.OnTrainStart(harness.Context);
        injector.OnStepStart(harness.Context);
        float[][] perturbed = harness.Weights();
        harness.Backward(inputs, targets);
        float[] gradientThere = harness.Context.Parameters[0].grad!.data<float>().ToArray();
        injector.OnAfterBackward(harness.Context);

        Assert.Equal(gradientThere, harness.Context.Parameters[0].grad!.data<float>().ToArray());
        using (no_grad())
            harness.Context.Parameters[0].copy_(tensor(perturbed[0], harness.Context.Parameters[0].shape));
        harness.Backward(inputs, targets);
        Assert.Equal(gradientThere, harness.Context.Parameters[0].grad!.data<float>().ToArray());
    }

    [Fact]
    public void Layerwise_cycles_through_every_group_in_order_and_leaves_the_others_alone()
    {
        using var harness = Harness();
        var injector = new WeightPerturbation(NoiseSettings.Gaussian(0.1), PerturbationTiming.Kept, PerturbationScope.Layerwise);
        injector.OnTrainStart(harness.Context);
        int groups = harness.Context.Parameters.Count;
        var touched = new List<int>();

        for (long step = 0; step < 2 * groups; step++)
        {
            float[][] before = harness.Weights();
            harness.Context.Step = step;
            injector.OnAfterOptimizerStep(harness.Context);
            float[][] after = harness.Weights();
            int changed = Assert.Single(Enumerable.Range(0, groups), g => !before[g].SequenceEqual(after[g]));
            touched.Add(changed);
        }

        Assert.Equal(6, groups);
        Assert.Equal([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5], touched);
    }

    [Fact]
    public void All_scope_gives_each_group_sigma_over_root_n_groups()
    {
        torch.manual_seed(1);
        using var harness = new StepHarness(new Mlp(784, [500], 10));
        var injector = new WeightPerturbation(NoiseSettings.Gaussian(0.2), PerturbationTiming.Kept, PerturbationScope.All);
        injector.OnTrainStart(harness.Context);
        using Tensor before = harness.Context.Parameters[0].detach().clone();

        injector.OnAfterOptimizerStep(harness.Context);

        int groups = harness.Context.Parameters.Count;
        double expected = 0.2 / Math.Sqrt(groups);
        double n = before.numel();
        double measured = harness.Context.Parameters[0].detach().sub(before).std().item<float>();
        Assert.InRange(measured, expected * (1 - 4 * Math.Sqrt(0.5 / n)), expected * (1 + 4 * Math.Sqrt(0.5 / n)));
    }

    [Fact]
    public void Kept_noise_equals_the_noise_regenerated_from_its_key()
    {
        using var harness = Harness();
        var injector = new WeightPerturbation(NoiseSettings.Uniform(0.05), PerturbationTiming.Kept, PerturbationScope.All);
        injector.OnTrainStart(harness.Context);
        harness.Context.Step = 12;
        float[][] before = harness.Weights();

        injector.OnAfterOptimizerStep(harness.Context);

        int groups = before.Length;
        var key = NoiseKey.For(42, "noise/weight");
        for (int g = 0; g < groups; g++)
        {
            var noise = new float[before[g].Length];
            NoiseSampler.Fill(noise, NoiseDistribution.Uniform, (float)(0.05 / Math.Sqrt(groups)), key.WithTensor(g).WithDraw(12));
            Assert.Equal(before[g].Zip(noise, (w, e) => w + e), harness.Weights()[g]);
        }
    }

    [Fact]
    public void Batch_norm_statistics_come_from_a_clean_pass_not_the_perturbed_one()
    {
        torch.manual_seed(4);
        var model = nn.Sequential(("fc", nn.Linear(20, 8)), ("bn", nn.BatchNorm1d(8)), ("out", nn.Linear(8, 4)));
        using var harness = new StepHarness(model);
        var injector = new WeightPerturbation(NoiseSettings.Gaussian(1.0), PerturbationTiming.BeforeGradient, PerturbationScope.All);
        var (inputs, targets) = Batch();
        var buffers = model.buffers().ToArray();
        Tensor[] initial = [.. buffers.Select(b => b.clone())];
        injector.OnTrainStart(harness.Context);
        harness.Context.Inputs = inputs;

        injector.OnStepStart(harness.Context);
        harness.Backward(inputs, targets);
        injector.OnAfterBackward(harness.Context);
        float[] afterStep = buffers[0].data<float>().ToArray();

        using (no_grad())
        {
            for (int i = 0; i < buffers.Length; i++)
                buffers[i].copy_(initial[i]);
            model.forward(inputs);
        }
        Assert.Equal(buffers[0].data<float>().ToArray(), afterStep);
    }
}
