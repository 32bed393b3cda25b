using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Noise;

/// <summary>Every injector is inert in eval mode: the same outputs, weights and gradients, bit for bit.</summary>
public sealed class EvaluationIsCleanTests
{
    public static TheoryData<string> Injectors => ["input", "activation", "weight", "perturb", "perturb-layerwise", "anti", "gradient"];

    private static NoiseInjector Create(string kind, nn.Module model) => kind switch
    {
        "input" => new InputNoise(NoiseSettings.Gaussian(1.0)),
        "activation" => new ActivationNoise(model, ["fc1"], NoiseSettings.Gaussian(1.0)),
        "weight" => new WeightPerturbation(NoiseSettings.Gaussian(1.0), PerturbationTiming.Kept),
        "perturb" => new WeightPerturbation(NoiseSettings.Gaussian(1.0), PerturbationTiming.BeforeGradient),
        "perturb-layerwise" => new WeightPerturbation(NoiseSettings.Gaussian(1.0), PerturbationTiming.BeforeGradient, PerturbationScope.Layerwise),
        "anti" => new AntiPgd(NoiseSettings.Gaussian(1.0)),
        "gradient" => new GradientNoise(NoiseSettings.Gaussian(1.0)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Injectors))]
    public void An_injector_changes_nothing_in_eval_mode(string kind)
    {
        torch.manual_seed(2);
        using var harness = new StepHarness(new Mlp(12, [16], 3));
        using Tensor inputs = randn(new long[] { 8, 12 }, generator: new Generator(1));
        using Tensor targets = arange(8, dtype: ScalarType.Int64).remainder(3);
        harness.Model.eval();
        using Tensor clean = harness.Model.forward(inputs);
        harness.Model.train();
        harness.Backward(inputs, targets);
        float[][] weights = harness.Weights();
        float[] gradient = harness.Context.Parameters[0].grad!.data<float>().ToArray();

        NoiseInjector injector = Create(kind, harness.Model);
        injector.OnTrainStart(harness.Context);
        harness.Model.eval();
        harness.Context.Inputs = inputs;
        harness.Context.Targets = targets;
        injector.OnStepStart(harness.Context);
        using Tensor output = harness.Model.forward(harness.Context.Inputs);
        injector.OnAfterBackward(harness.Context);
        injector.OnAfterClipping(harness.Context);
        injector.OnAfterOptimizerStep(harness.Context);

        Assert.Same(inputs, harness.Context.Inputs);
        Assert.True(output.eq(clean).all().item<bool>(), "eval output changed");
        Assert.Equal(weights, harness.Weights());
        Assert.Equal(gradient, harness.Context.Parameters[0].grad!.data<float>().ToArray());
        (injector as IDisposable)?.Dispose();
    }

    [Theory]
    [MemberData(nameof(Injectors))]
    public void The_same_injector_does_change_things_in_training_mode(string kind)
    {
        torch.manual_seed(2);
        using var harness = new StepHarness(new Mlp(12, [16], 3));
        using Tensor inputs = randn(new long[] { 8, 12 }, generator: new Generator(1));
        using Tensor targets = arange(8, dtype: ScalarType.Int64).remainder(3);
        using Tensor clean = harness.Model.forward(inputs);
        harness.Backward(inputs, targets);
        float[][] weights = harness.Weights();
        float[] gradient = harness.Context.Parameters[0].grad!.data<float>().ToArray();

        NoiseInjector injector = Create(kind, harness.Model);
        injector.OnTrainStart(harness.Context);
        harness.Context.Inputs = inputs;
        injector.OnStepStart(harness.Context);
        using Tensor output = harness.Model.forward(harness.Context.Inputs);
        bool outputChanged = !output.eq(clean).all().item<bool>();
        injector.OnAfterBackward(harness.Context);
        injector.OnAfterClipping(harness.Context);
        injector.OnAfterOptimizerStep(harness.Context);

        bool weightsChanged = !weights.Zip(harness.Weights()).All(p => p.First.SequenceEqual(p.Second));
        bool gradientChanged = !gradient.SequenceEqual(harness.Context.Parameters[0].grad!.data<float>().ToArray());
        Assert.True(outputChanged || weightsChanged || gradientChanged, $"{kind} did nothing in training mode");
        (injector as IDisposable)?.Dispose();
    }
}
