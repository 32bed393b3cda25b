using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Randomness;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Noise;

/// <summary>
/// The generic path: float64 and bfloat16 tensors, and float32 forced off the AES path. Each place of noise
/// runs there; the draws have the asked standard deviation, the same key replays bit for bit, another key
/// differs, and eval mode stays clean.
/// </summary>
public sealed class AnyDtypeTests
{
    private static readonly NoiseKey s_key = NoiseKey.For(5, "noise/test");

    public static TheoryData<string> Kinds => ["float64", "bfloat16", "float32-generic"];

    private static ScalarType DtypeOf(string kind) => kind switch
    {
        "float64" => ScalarType.Float64,
        "bfloat16" => ScalarType.BFloat16,
        _ => ScalarType.Float32,
    };

    private static IDisposable? PathFor(string kind) => kind == "float32-generic" ? NoiseSampler.ForceGenericPath() : null;

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Draws_have_the_standard_deviation_asked_for_and_replay_from_their_key(string kind)
    {
        using var path = PathFor(kind);
        const int n = 1_000_000;
        foreach (NoiseDistribution distribution in new[] { NoiseDistribution.Gaussian, NoiseDistribution.Uniform })
        {
            using Tensor a = zeros([n], dtype: DtypeOf(kind)), b = zeros([n], dtype: DtypeOf(kind)), c = zeros([n], dtype: DtypeOf(kind));
            NoiseSampler.Add_(a, distribution, 0.5f, s_key);
            NoiseSampler.Add_(b, distribution, 0.5f, s_key);
            NoiseSampler.Add_(c, distribution, 0.5f, s_key.WithDraw(1));

            Assert.False(NoiseSampler.UsesFastPath(a));
            Assert.True(a.eq(b).all().item<bool>());
            Assert.False(a.eq(c).all().item<bool>());
            // Four standard errors of the std (κ = 3 Gaussian, 9/5 uniform), plus bfloat16's 2⁻⁸ relative rounding.
            using Tensor asDouble = a.to_type(ScalarType.Float64);
            double se = 0.5 * Math.Sqrt(((distribution == NoiseDistribution.Gaussian ? 3.0 : 1.8) - 1) / (4.0 * n));
            double rounding = kind == "bfloat16" ? 0.5 / 256 : 0;
            double std = asDouble.std().ToDouble();
            Assert.True(std > 0.5 - 4 * se - rounding && std < 0.5 + 4 * se + rounding, $"{distribution} on {kind}: std {std}");
            Assert.InRange(asDouble.mean().ToDouble(), -4 * 0.5 / Math.Sqrt(n), 4 * 0.5 / Math.Sqrt(n));
        }
    }

    [Fact]
    public void Subtract_takes_back_exactly_what_add_put_in_on_the_generic_path()
    {
        using Tensor weights = randn([1000], dtype: ScalarType.Float64, generator: new Generator(1));
        using Tensor original = weights.clone();

        NoiseSampler.Add_(weights, NoiseDistribution.Gaussian, 0.25f, s_key);
        Assert.False(weights.eq(original).all().item<bool>());
        NoiseSampler.Subtract_(weights, NoiseDistribution.Gaussian, 0.25f, s_key);

        Assert.True(weights.allclose(original, rtol: 0, atol: 1e-12));
    }

    [Fact]
    public void A_non_contiguous_float32_tensor_takes_the_generic_path()
    {
        using Tensor matrix = zeros(64, 32);
        using Tensor transposed = matrix.t();

        NoiseSampler.Add_(transposed, NoiseDistribution.Gaussian, 1f, s_key);

        Assert.False(NoiseSampler.UsesFastPath(transposed));
        Assert.True(matrix.ne(0).all().item<bool>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_place_of_noise_trains_a_model_of_that_dtype_and_eval_stays_clean(string kind)
    {
        using var path = PathFor(kind);
        ScalarType dtype = DtypeOf(kind);
        string[] places = ["input", "activation", "gradient", "weight", "before", "anti", "layer"];
        foreach (string place in places)
        {
            using DataSplits data = RandomImages();
            manual_seed(1);
            using var body = ModelRegistry.Create(ModelSpec.Parse("mlp:8"), new ModelShape([1, 4, 4], 2), seed: 1);
            using nn.Module<Tensor, Tensor> model = place == "layer" ? nn.Sequential(("noise", new GaussianNoise(0.3)), ("mlp", body)) : body;
            model.to(dtype);
            float[] before = FirstWeights(model);
            using var optimizer = optim.SGD(model.parameters(), 0.1);
            var trainer = new Trainer(model, optimizer, new TrainerOptions { Epochs = 1, BatchSize = 16, Seed = 2 });
            TrainingCallback? injector = Injector(place, model);
            if (injector is not null)
                trainer.Add(injector);

            TrainingResult result = trainer.Fit(data);
            (injector as IDisposable)?.Dispose();

            Assert.True(double.IsFinite(result.History[0].TrainLoss), $"{place} on {kind}: the training loss is not finite");
            Assert.NotEqual(before, FirstWeights(model));
            Assert.All(model.parameters(), p => Assert.Equal(dtype, p.dtype));
            // Eval mode: two passes over the same batch agree bit for bit, with every hook and layer in place.
            model.eval();
            using Tensor inputs = data.Test.Features.to_type(dtype);
            using Tensor first = model.call(inputs), second = model.call(inputs);
            Assert.True(first.eq(second).all().item<bool>(), $"{place} on {kind} leaks noise into eval mode");
        }
    }

    private static TrainingCallback? Injector(string place, nn.Module model) => place switch
    {
        "input" => new InputNoise(NoiseSettings.Gaussian(0.1)),
        "activation" => new ActivationNoise(model, ["fc1"], NoiseSettings.Gaussian(0.1)),
        "gradient" => new GradientNoise(NoiseSettings.Gaussian(0.01)),
        "weight" => new WeightPerturbation(NoiseSettings.Gaussian(0.01), PerturbationTiming.Kept),
        "before" => new WeightPerturbation(NoiseSettings.Gaussian(0.01), PerturbationTiming.BeforeGradient, PerturbationScope.Layerwise),
        "anti" => new AntiPgd(NoiseSettings.Gaussian(0.01)),
        _ => null,
    };

    private static float[] FirstWeights(nn.Module model)
    {
        using Tensor first = model.parameters().First().to_type(ScalarType.Float32);
        return first.data<float>().ToArray();
    }

    private static DataSplits RandomImages()
    {
        var generator = new Generator(4);
        InMemoryDataset Split(int count) => new(rand([count, 1, 4, 4], generator: generator), randint(2, [count], generator: generator));
        return new DataSplits("random", Split(64), Split(16), Split(16), classCount: 2);
    }
}
