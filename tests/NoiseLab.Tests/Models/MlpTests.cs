using NoiseLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Models;

public sealed class MlpTests
{
    [Fact]
    public void The_784_500_500_10_network_has_the_textbook_parameter_count()
    {
        using var model = ModelRegistry.Create(ModelSpec.Parse("mlp:500,500"), new ModelShape([1, 28, 28], 10), seed: 0);

        long count = model.parameters().Sum(p => p.numel());

        Assert.Equal(784 * 500 + 500 + 500 * 500 + 500 + 500 * 10 + 10, count);
    }

    [Fact]
    public void Layers_are_named_for_attaching_noise_by_name()
    {
        using var model = new Mlp(4, [3, 2], 5);

        Assert.Equal(["fc1", "fc2", "out"], model.named_children().Select(c => c.name));
    }

    [Fact]
    public void Forward_flattens_images_and_returns_one_row_of_logits_per_sample()
    {
        using var model = new Mlp(12, [8], 3);
        using Tensor input = ones(5, 1, 3, 4);

        using Tensor output = model.forward(input);

        Assert.Equal([5L, 3], output.shape);
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights_and_another_seed_others()
    {
        static float[] Weights(long seed)
        {
            using var model = ModelRegistry.Create(ModelSpec.Parse("mlp:16"), new ModelShape([8], 2), seed);
            return model.parameters().First().data<float>().ToArray();
        }

        Assert.Equal(Weights(11), Weights(11));
        Assert.NotEqual(Weights(11), Weights(12));
    }

    [Theory]
    [InlineData("mlp:500,x", "'x' is not one")]
    [InlineData("mlp:0", "'0' is not one")]
    [InlineData("resnet99", "Unknown model 'resnet99'; choose one of: ")]   // the list's head depends on what other tests registered
    public void Bad_specs_are_refused_with_the_accepted_form(string spec, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => ModelRegistry.Create(ModelSpec.Parse(spec), new ModelShape([4], 2), 0));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spec_splits_at_the_first_colon()
    {
        Assert.Equal(new ModelSpec("mlp", "500,500"), ModelSpec.Parse(" MLP:500,500"));
        Assert.Equal(new ModelSpec("mlp", ""), ModelSpec.Parse("mlp"));
        Assert.Equal("mlp:500,500", ModelSpec.Parse("mlp:500,500").ToString());
    }
}
