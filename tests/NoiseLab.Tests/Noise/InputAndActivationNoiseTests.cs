using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Noise;

public sealed class InputAndActivationNoiseTests
{
    [Fact]
    public void Input_noise_replaces_the_batch_with_a_noisy_copy_of_the_right_size_and_keeps_the_original()
    {
        torch.manual_seed(1);
        using var harness = new StepHarness(new Mlp(1000, [4], 2));
        using Tensor inputs = rand(1000, 1000, generator: new Generator(3)).mul_(255);
        float[] original = inputs.data<float>().ToArray();
        var injector = new InputNoise(new NoiseSettings(NoiseLab.Randomness.NoiseDistribution.Uniform, new NoiseLab.Noise.Schedules.ConstantSigma(0.05), NoiseScale.RelativeToStd));
        injector.OnTrainStart(harness.Context);
        harness.Context.Inputs = inputs;

        injector.OnStepStart(harness.Context);

        Assert.NotSame(inputs, harness.Context.Inputs);
        Assert.Equal(original, inputs.data<float>().ToArray());
        double expected = 0.05 * inputs.std().item<float>();
        double measured = harness.Context.Inputs!.sub(inputs).std().item<float>();
        double se = expected * Math.Sqrt(0.8 / (4 * 1e6));
        Assert.InRange(measured, expected - 4 * se, expected + 4 * se);
    }

    [Fact]
    public void Token_ids_are_refused_with_a_pointer_to_embedding_noise()
    {
        using var harness = new StepHarness(new Mlp(4, [4], 2));
        var injector = new InputNoise(NoiseSettings.Gaussian(0.1));
        injector.OnTrainStart(harness.Context);
        harness.Context.Inputs = zeros(new long[] { 2, 4 }, dtype: ScalarType.Int64);

        var error = Assert.Throws<InvalidOperationException>(() => injector.OnStepStart(harness.Context));

        Assert.Equal("Input noise needs floating-point inputs but the batch is Int64; for token ids, put the noise in embedding space (--noise embedding:...).", error.Message);
    }

    [Fact]
    public void Activation_noise_perturbs_the_named_module_output_and_the_next_layer_sees_it()
    {
        torch.manual_seed(1);
        using var model = new Mlp(10, [200, 200], 3);
        using Tensor x = randn(new long[] { 500, 10 }, generator: new Generator(4));
        Tensor? clean = null, noisy = null, fc2In = null;
        var fc1 = (nn.Module<Tensor, Tensor>)model.named_modules().Single(m => m.name == "fc1").module;
        var fc2 = (nn.Module<Tensor, Tensor>)model.named_modules().Single(m => m.name == "fc2").module;
        fc1.register_forward_hook((_, _, output) => { clean = output.detach().clone().DetachFromDisposeScope(); return output; });
        fc2.register_forward_pre_hook((_, input) => { fc2In = input.detach().clone().DetachFromDisposeScope(); return input; });
        using var harness = new StepHarness(model);
        using var injector = new ActivationNoise(model, ["fc1"], NoiseSettings.Gaussian(0.3));
        fc1.register_forward_hook((_, _, output) => { noisy = output.detach().clone().DetachFromDisposeScope(); return output; });
        injector.OnTrainStart(harness.Context);
        injector.OnStepStart(harness.Context);

        model.forward(x);

        double n = clean!.numel();
        double se = 0.3 * Math.Sqrt(0.5 / n);
        Assert.InRange(noisy!.sub(clean).std().item<float>(), 0.3 - 4 * se, 0.3 + 4 * se);
        Assert.True(fc2In!.eq(noisy.relu()).all().item<bool>(), "fc2 did not see the noisy activation");
    }

    [Fact]
    public void An_unknown_module_name_lists_the_model_modules()
    {
        using var model = new Mlp(4, [3], 2);

        var error = Assert.Throws<ArgumentException>(() => new ActivationNoise(model, ["fc9"], NoiseSettings.Gaussian(0.1)));

        Assert.StartsWith("The model has no module 'fc9' with a tensor output; its modules are: fc1, out.", error.Message, StringComparison.Ordinal);
    }
}

public sealed class HookedInjectorStateTests
{
    [Fact]
    public void A_restored_draw_count_continues_the_activation_noise_stream()
    {
        torch.manual_seed(1);
        using var model = new Mlp(6, [5], 2);
        using Tensor x = randn(new long[] { 4, 6 }, generator: new Generator(2));
        using var harness = new StepHarness(model);
        using var original = new ActivationNoise(model, ["fc1"], NoiseSettings.Gaussian(0.5));
        original.OnTrainStart(harness.Context);
        original.OnStepStart(harness.Context);
        model.forward(x);
        model.forward(x);
        NoiseInjectorState saved = original.CaptureState();
        using Tensor expected = model.forward(x);
        original.Dispose();

        using var resumed = new ActivationNoise(model, ["fc1"], NoiseSettings.Gaussian(0.5));
        resumed.OnTrainStart(harness.Context);
        resumed.RestoreState(saved);
        resumed.OnStepStart(harness.Context);
        using Tensor actual = model.forward(x);

        Assert.Equal(2, saved.Draws);
        Assert.True(actual.eq(expected).all().item<bool>());
    }
}
