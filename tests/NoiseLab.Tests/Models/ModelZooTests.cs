using NoiseLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Models;

public sealed class ModelZooTests
{
    private static readonly ModelShape s_cifar = new([3, 32, 32], 10);
    private static readonly ModelShape s_fashion = new([1, 28, 28], 10);

    private static long Parameters(string spec, ModelShape shape)
    {
        using var model = ModelRegistry.Create(ModelSpec.Parse(spec), shape, seed: 0);
        return model.parameters().Sum(p => p.numel());
    }

    // Seed 002's counts on CIFAR-10 shapes; ResNet-18's is the CIFAR form it trained (3x3 stem, no max pool).
    [Theory]
    [InlineData("babycnn", 20_714)]
    [InlineData("tinycnn", 545_098)]
    [InlineData("simplecnn", 22_954_506)]
    [InlineData("resnet18", 11_173_962)]
    public void Seed_002_models_have_the_papers_parameter_counts_on_CIFAR_10(string name, long expected)
    {
        Assert.Equal(expected, Parameters(name, s_cifar));
    }

    [Theory]
    [InlineData("mnistnet1", 784L * 500 + 500 + 2 * (500 * 500 + 500) + 500 * 10 + 10)]
    [InlineData("mnistnet3", 784L * 1000 + 1000 + 4 * (1000 * 1000 + 1000) + 1000 * 10 + 10)]
    [InlineData("deepmlp", 784L * 50 + 50 + 19 * (50 * 50 + 50) + 50 * 10 + 10)]
    [InlineData("babycnn", 1 * 8 * 9 + 8 + 8 * 14 * 14 * 10 + 10)]
    [InlineData("tinycnn", 32 * 9 + 32 + 32 * 64 * 9 + 64 + 64 * 7 * 7 * 128 + 128 + 128 * 10 + 10)]
    public void Models_size_themselves_to_Fashion_MNIST(string name, long expected)
    {
        Assert.Equal(expected, Parameters(name, s_fashion));
    }

    [Theory]
    [InlineData("babycnn")]
    [InlineData("tinycnn")]
    [InlineData("resnet18")]
    [InlineData("mnistnet1")]
    [InlineData("deepmlp:layers=3,width=8,dropout=0.5")]
    public void Forward_gives_one_row_of_logits_per_image(string name)
    {
        using var model = ModelRegistry.Create(ModelSpec.Parse(name), s_fashion, seed: 0);
        using Tensor images = rand(2, 1, 28, 28);

        using Tensor logits = model.call(images);

        Assert.Equal([2L, 10], logits.shape);
    }

    [Fact]
    public void Convolution_and_linear_layers_are_named_for_noise_by_name()
    {
        using var model = ModelRegistry.Create(ModelSpec.Parse("tinycnn"), s_cifar, seed: 0);

        Assert.Equal(["conv1", "conv2", "fc1", "fc2"], model.named_children().Select(c => c.name));
    }

    [Fact]
    public void Image_models_refuse_flat_inputs_and_tiny_images()
    {
        var flat = Assert.Throws<ArgumentException>(() => ModelRegistry.Create(ModelSpec.Parse("babycnn"), new ModelShape([784], 10), 0));
        var tiny = Assert.Throws<ArgumentException>(() => ModelRegistry.Create(ModelSpec.Parse("simplecnn"), new ModelShape([1, 4, 4], 10), 0));
        var arguments = Assert.Throws<ArgumentException>(() => ModelRegistry.Create(ModelSpec.Parse("resnet18:wide"), s_cifar, 0));

        Assert.StartsWith("BabyCnn needs image inputs [channels, height, width]; the data's samples are [784].", flat.Message, StringComparison.Ordinal);
        Assert.StartsWith("SimpleCnn pools 3 times by 2; images of 4×4 are too small.", tiny.Message, StringComparison.Ordinal);
        Assert.StartsWith("resnet18 takes no arguments; got 'wide'.", arguments.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("he")]
    [InlineData("sussillo")]
    public void Deep_mlp_inits_draw_weights_with_their_standard_deviation_and_zero_biases(string init)
    {
        using var model = ModelRegistry.Create(ModelSpec.Parse($"deepmlp:init={init}"), s_fashion, seed: 3);
        var first = (TorchSharp.Modules.Linear)model.named_children().First(c => c.name == "fc1").module;

        double expected = init switch
        {
            "simple" => 0.1,
            "he" => Math.Sqrt(2.0 / 784),
            _ => DeepMlp.SussilloGain(784) / Math.Sqrt(784),
        };
        double n = first.weight!.numel();
        double measured = first.weight.std().item<float>();
        Assert.InRange(measured, expected * (1 - 4 * Math.Sqrt(0.5 / n)), expected * (1 + 4 * Math.Sqrt(0.5 / n)));
        Assert.True(model.parameters().Where(p => p.dim() == 1).All(b => b.eq(0).all().item<bool>()));
    }

    [Fact]
    public void Zero_init_starts_every_weight_at_zero_so_every_input_gets_the_same_output()
    {
        using var model = ModelRegistry.Create(ModelSpec.Parse("deepmlp:init=zero"), s_fashion, seed: 3);
        using Tensor logits = model.call(rand(4, 1, 28, 28));

        Assert.True(model.parameters().All(p => p.eq(0).all().item<bool>()));
        Assert.True(logits.eq(0).all().item<bool>());
    }

    [Fact]
    public void Sussillo_gain_follows_the_random_walk_formula()
    {
        Assert.Equal(Math.Sqrt(2) * Math.Exp(1.2 / 47.6), DeepMlp.SussilloGain(50), 12);
        Assert.Equal(Math.Sqrt(2) * Math.Exp(1.2 / 3.6), DeepMlp.SussilloGain(3), 12);
    }
}

public sealed class ZeroInitTests
{
    [Fact]
    public void A_zero_initialized_deep_mlp_without_noise_stays_at_chance_on_Fashion_MNIST()
    {
        // Seed 004's "bad init": every weight 0, so every hidden unit computes the same thing and only
        // the output bias can learn — the failure gradient noise is meant to rescue.
        var result = NoiseLab.Experiments.RunExecutor.Execute(new NoiseLab.Experiments.RunSpec
        {
            Data = NoiseLab.Tests.Support.FashionMnist.Options(limitTrain: 5_000),
            Model = ModelSpec.Parse("deepmlp:init=zero"),
            Optimizer = new NoiseLab.Optimization.OptimizerSpec(NoiseLab.Optimization.OptimizerKind.Sgd, 0.1),
            Trainer = new NoiseLab.Training.TrainerOptions { Epochs = 2, ClipNorm = 10, Seed = 0 },
            Threads = 2,
        });

        Assert.InRange(result.TestAccuracy ?? 0, 0.05, 0.15);
    }

    [Theory]
    [InlineData("mlp:8")]
    [InlineData("deepmlp:layers=2,width=4")]
    [InlineData("tinycnn")]
    public void A_real_valued_model_on_token_data_is_refused_naming_the_models_that_fit(string model)
    {
        var error = Assert.Throws<ArgumentException>(() => ModelRegistry.Create(ModelSpec.Parse(model), new ModelShape([8], 2, VocabularySize: 50), seed: 0));

        Assert.StartsWith($"'{ModelSpec.Parse(model).Name}' takes real-valued features, but this data set gives token ids; use transformer (classification) or bilstm (tagging).", error.Message, StringComparison.Ordinal);
    }
}
