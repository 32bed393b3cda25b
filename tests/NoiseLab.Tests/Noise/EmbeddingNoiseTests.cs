using NoiseLab.Noise;
using NoiseLab.Tests.Support;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Noise;

public sealed class EmbeddingNoiseTests
{
    private sealed class TokenClassifier : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> _embedding = nn.Embedding(50, 16, padding_idx: 0);
        private readonly nn.Module<Tensor, Tensor> _output = nn.Linear(16, 2);

        public TokenClassifier() : base(nameof(TokenClassifier))
        {
            register_module("embedding", _embedding);
            register_module("out", _output);
        }

        public Tensor Embedded { get; private set; } = null!;

        public override Tensor forward(Tensor ids)
        {
            Embedded = _embedding.call(ids);
            return _output.call(Embedded.mean([1]));
        }
    }

    private static Tensor Ids() => tensor(new long[,]
    {
        { 5, 6, 7, 8, 9, 10, 11, 12 },   // 8 real tokens
        { 5, 6, 0, 0, 0, 0, 0, 0 },      // 2 real tokens, 6 padding
    });

    private static (TokenClassifier Model, StepHarness Harness, EmbeddingNoise Noise) Setup(NoiseSettings settings, bool neftune)
    {
        torch.manual_seed(3);
        var model = new TokenClassifier();
        var harness = new StepHarness(model);
        var noise = new EmbeddingNoise(model, settings, neftune);
        noise.OnTrainStart(harness.Context);
        noise.OnStepStart(harness.Context);
        return (model, harness, noise);
    }

    [Fact]
    public void Neftune_scales_by_alpha_over_root_of_true_length_times_width_and_leaves_padding_clean()
    {
        var (model, harness, noise) = Setup(NoiseSettings.Uniform(5.0), neftune: true);
        using Tensor ids = Ids();
        model.eval();
        model.forward(ids);
        Tensor clean = model.Embedded.detach().clone();
        model.train();

        model.forward(ids);
        Tensor delta = model.Embedded.detach().sub(clean);

        float full = delta[0].abs().max().item<float>();
        float shortSeq = delta[1].narrow(0, 0, 2).abs().max().item<float>();
        double boundFull = 5.0 / Math.Sqrt(8 * 16), boundShort = 5.0 / Math.Sqrt(2 * 16);
        Assert.InRange(full, 0.9 * boundFull, boundFull * 1.0001);
        Assert.InRange(shortSeq, 0.75 * boundShort, boundShort * 1.0001);
        Assert.True(delta[1].narrow(0, 2, 6).eq(0).all().item<bool>(), "padding got noise");
        Assert.Equal(new long[] { 5, 6, 0, 0, 0, 0, 0, 0 }, ids[1].data<long>().ToArray());
        noise.Dispose();
        harness.Dispose();
    }

    [Fact]
    public void Eval_mode_sees_the_clean_embeddings()
    {
        var (model, harness, noise) = Setup(NoiseSettings.Gaussian(1.0), neftune: false);
        using Tensor ids = Ids();
        model.eval();
        using Tensor withNoise = model.forward(ids);
        noise.Dispose();

        using Tensor without = model.forward(ids);

        Assert.True(withNoise.eq(without).all().item<bool>());
        harness.Dispose();
    }

    [Fact]
    public void A_model_without_an_embedding_is_refused()
    {
        using var model = new NoiseLab.Models.Mlp(4, [3], 2);

        var error = Assert.Throws<ArgumentException>(() => new EmbeddingNoise(model, NoiseSettings.Gaussian(0.1), neftuneScaling: true));

        Assert.StartsWith("The model has no Embedding layer; embedding noise is for models with token inputs", error.Message, StringComparison.Ordinal);
    }
}
