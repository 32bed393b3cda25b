using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Optimization;
using NoiseLab.Randomness;
using NoiseLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Noise;

/// <summary>The pieces a loop of its own uses: hooks that are live, layers with their own streams, the wrapper and its state, and their refusals.</summary>
public sealed class LibraryWithoutTrainerTests
{
    private static nn.Module<Tensor, Tensor> Mlp(long seed = 1) => ModelRegistry.Create(ModelSpec.Parse("mlp:8"), new ModelShape([1, 4, 4], 2), seed);

    [Fact]
    public void An_activation_hook_perturbs_in_training_mode_at_its_schedules_level_and_is_clean_in_eval()
    {
        using var model = Mlp();
        using Tensor x = rand(32, 1, 4, 4, generator: new Generator(3));
        model.eval();
        using Tensor clean = model.call(x);
        var settings = new NoiseSettings(NoiseDistribution.Gaussian, new NoiseLab.Noise.Schedules.LinearSigma(1.0, 0.0, epochs: 1));
        using var hook = new ActivationNoiseHook(model, ["fc1"], settings, NoiseKey.ForInjector(0, "activation"));

        using Tensor inEval = model.call(x);
        model.train();
        using Tensor atStep0 = model.call(x);
        hook.Epoch = 1;
        using Tensor atStep1 = model.call(x);

        Assert.True(inEval.eq(clean).all().item<bool>());
        Assert.False(atStep0.eq(clean).all().item<bool>());
        Assert.Equal(0.0, hook.Sigma);
        Assert.True(atStep1.eq(clean).all().item<bool>());
        Assert.Equal(1, hook.Draws);
    }

    [Fact]
    public void A_hook_on_a_module_that_does_not_exist_names_it_and_the_modules_there_are()
    {
        using var model = Mlp();

        var error = Assert.Throws<ArgumentException>(() => new ActivationNoiseHook(model, ["fc9"], NoiseSettings.Gaussian(0.1), default));

        Assert.StartsWith("The model has no module 'fc9' with a tensor output; its modules are: fc1, out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_noise_layers_draw_independent_noise_and_a_model_built_after_the_same_manual_seed_replays()
    {
        using Tensor x = zeros(1000);
        manual_seed(7);
        using var first = new GaussianNoise(1.0, seed: 9);
        using var second = new GaussianNoise(1.0, seed: 9);
        manual_seed(7);
        using var replay = new GaussianNoise(1.0, seed: 9);

        using Tensor a = first.forward(x), b = second.forward(x), c = replay.forward(x);

        Assert.False(a.eq(b).any().item<bool>());
        Assert.True(a.eq(c).all().item<bool>());
    }

    [Fact]
    public void A_saved_and_reloaded_model_continues_its_noise_layers_stream()
    {
        using Tensor x = zeros(100);
        manual_seed(1);
        using var layer = new GaussianNoise(1.0);
        layer.forward(x).Dispose();
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            layer.save(writer);
        using Tensor expected = layer.forward(x);

        manual_seed(2);
        using var reloaded = new GaussianNoise(1.0);
        stream.Position = 0;
        using (var reader = new BinaryReader(stream))
            reloaded.load(reader);
        using Tensor continued = reloaded.forward(x);

        Assert.Equal(2, reloaded.Draws);
        Assert.True(continued.eq(expected).all().item<bool>());
    }

    [Fact]
    public void The_wrapper_refuses_a_null_optimizer_in_one_sentence()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new GradientNoiseOptimizer(null!, NoiseSettings.Gaussian(0.1), default));

        Assert.StartsWith("GradientNoiseOptimizer needs the optimizer to wrap (e.g. torch.optim.SGD(model.parameters(), 0.1)), but it was given null.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_wrapper_clips_then_adds_the_scheduled_noise_and_its_saved_state_continues_the_stream()
    {
        float[] Run(bool resumeAfterTwo)
        {
            using var model = Mlp();
            using Tensor x = rand(16, 1, 4, 4, generator: new Generator(5));
            using Tensor y = randint(2, [16], generator: new Generator(6));
            var settings = new NoiseSettings(NoiseDistribution.Gaussian, new NoiseLab.Noise.Schedules.AnnealedSigma(eta: 0.01));
            using var sgd = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
            using var optimizer = new GradientNoiseOptimizer(sgd, settings, NoiseKey.ForInjector(0, "gradient"), maxGradNorm: 0.5);
            for (int step = 0; step < 4; step++)
            {
                if (resumeAfterTwo && step == 2)
                {
                    using var saved = new MemoryStream();
                    using (var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true))
                        optimizer.save_state_dict(writer);
                    using var fresh = new GradientNoiseOptimizer(optim.SGD(model.parameters(), 0.1, momentum: 0.9), settings, NoiseKey.ForInjector(0, "gradient"), maxGradNorm: 0.5);
                    saved.Position = 0;
                    using (var reader = new BinaryReader(saved))
                        fresh.load_state_dict(reader);
                    Assert.Equal(2, fresh.Steps);
                }
                optimizer.zero_grad();
                nn.functional.cross_entropy(model.call(x), y).backward();
                optimizer.step();
                Assert.InRange(optimizer.LastNoiseToGradient, 0, double.MaxValue);
            }
            Assert.Equal(4, optimizer.Steps);
            return model.parameters().First().data<float>().ToArray();
        }

        Assert.Equal(Run(resumeAfterTwo: false), Run(resumeAfterTwo: true));
    }

    [Fact]
    public void The_wrapper_adds_exactly_the_functional_gradient_noise_after_clipping()
    {
        using var model = Mlp();
        using Tensor x = rand(16, 1, 4, 4, generator: new Generator(5));
        using Tensor y = randint(2, [16], generator: new Generator(6));
        Parameter[] parameters = [.. model.parameters()];
        using var sgd = optim.SGD(model.parameters(), 0.0);
        using var wrapper = new GradientNoiseOptimizer(sgd, NoiseSettings.Gaussian(0.2), NoiseKey.ForInjector(4, "gradient"), maxGradNorm: 0.01);

        nn.functional.cross_entropy(model.call(x), y).backward();
        double norm = wrapper.ClipGradients();
        float[][] clipped = [.. parameters.Select(p => p.grad!.data<float>().ToArray())];
        wrapper.AddGradientNoise();
        float[][] noisy = [.. parameters.Select(p => p.grad!.data<float>().ToArray())];
        using Tensor grad0 = tensor(clipped[0]);
        NoiseSampler.Add_(grad0, NoiseDistribution.Gaussian, 0.2f, NoiseKey.ForInjector(4, "gradient").WithTensor(0).WithDraw(0));

        Assert.True(norm > 0.01);
        Assert.InRange(GradientNormOf(clipped), 0.0099, 0.0100001);
        Assert.Equal(grad0.data<float>().ToArray(), noisy[0]);
    }

    [Fact]
    public void The_learning_rate_under_accumulation_follows_the_optimizer_step_count()
    {
        var options = new TrainerOptions { BatchSize = 10, AccumulationSteps = 2 };
        int stepsPerEpoch = Trainer.StepsPerEpoch(100, options);
        var schedule = LearningRateSchedule.Parse("step:every=1,factor=0.5", 0.1, stepsPerEpoch);

        Assert.Equal(5, stepsPerEpoch);
        Assert.Equal(0.1, schedule.At(4, 5 * 3), 12);
        Assert.Equal(0.05, schedule.At(5, 5 * 3), 12);
        Assert.Equal(0.025, schedule.At(10, 5 * 3), 12);
        Assert.Equal(4, Trainer.StepsPerEpoch(70, options));
    }

    private static double GradientNormOf(float[][] gradients) => Math.Sqrt(gradients.Sum(g => g.Sum(v => (double)v * v)));
}
