using NoiseLab.Data;
using NoiseLab.Examples;
using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Noise;

/// <summary>
/// The library is enough without the Trainer: the example's plain loop (examples/NoiseLab.Examples), with
/// the same seed, model, data and noise, reaches the Trainer's weights bit for bit.
/// </summary>
public sealed class OwnLoopTests
{
    private const long Seed = 3;
    private const int Epochs = 2, BatchSize = 32;

    public static TheoryData<string> Places => ["input", "gradient", "weight", "before-all", "before-layerwise", "anti"];

    [Theory]
    [MemberData(nameof(Places))]
    public void The_plain_loop_and_the_trainer_reach_the_same_weights(string place)
    {
        using DataSplits data = RandomImages();
        var (loopNoise, injector) = place switch
        {
            "input" => (new LoopNoise { Input = 0.5 }, (TrainingCallback)new InputNoise(NoiseSettings.Gaussian(0.5))),
            "gradient" => (new LoopNoise { Gradient = 0.05 }, new GradientNoise(NoiseSettings.Gaussian(0.05))),
            "weight" => (new LoopNoise { KeptWeight = 0.01 }, new WeightPerturbation(NoiseSettings.Gaussian(0.01), PerturbationTiming.Kept)),
            "before-all" => (new LoopNoise { BeforeGradient = 0.05 }, new WeightPerturbation(NoiseSettings.Gaussian(0.05), PerturbationTiming.BeforeGradient)),
            "before-layerwise" => (new LoopNoise { BeforeGradient = 0.05, Layerwise = true },
                new WeightPerturbation(NoiseSettings.Gaussian(0.05), PerturbationTiming.BeforeGradient, PerturbationScope.Layerwise)),
            _ => (new LoopNoise { AntiPgd = 0.01 }, new AntiPgd(NoiseSettings.Gaussian(0.01))),
        };

        float[][] trainer = WithTrainer(Mlp(), data, injector);
        float[][] loop = WithPlainLoop(Mlp(), data, loopNoise);
        float[][] clean = WithPlainLoop(Mlp(), data, new LoopNoise());

        Assert.Equal(trainer.Length, loop.Length);
        for (int i = 0; i < trainer.Length; i++)
            Assert.Equal(trainer[i], loop[i]);
        Assert.NotEqual(clean[0], loop[0]);
    }

    [Fact]
    public void Neftune_through_a_hook_matches_the_trainers_embedding_noise()
    {
        using DataSplits data = DataSetCatalog.Load("synthetic:majority:train=256", new DataOptions { Validation = new ValidationSplit(Size: 64) });
        nn.Module<Tensor, Tensor> Transformer() => ModelRegistry.Create(ModelSpec.Parse("transformer:dropout=0"), new ModelShape(data.SampleShape, data.Outputs, data.VocabularySize), Seed);

        using var forTrainer = Transformer();
        using var injector = new EmbeddingNoise(forTrainer, NoiseSettings.Uniform(5.0), neftuneScaling: true);
        float[][] trainer = WithTrainer(forTrainer, data, injector);
        float[][] loop = WithPlainLoop(Transformer(), data, new LoopNoise { Embedding = 5.0 });
        float[][] clean = WithPlainLoop(Transformer(), data, new LoopNoise());

        for (int i = 0; i < trainer.Length; i++)
            Assert.Equal(trainer[i], loop[i]);
        Assert.NotEqual(clean[0], loop[0]);
    }

    private static nn.Module<Tensor, Tensor> Mlp() => ModelRegistry.Create(ModelSpec.Parse("mlp:16"), new ModelShape([1, 6, 6], 3), Seed);

    private static DataSplits RandomImages()
    {
        var generator = new Generator(11);
        InMemoryDataset Split(int count) => new(rand([count, 1, 6, 6], generator: generator), randint(3, [count], generator: generator));
        return new DataSplits("random", Split(200), Split(50), Split(50), classCount: 3);
    }

    private static float[][] WithTrainer(nn.Module<Tensor, Tensor> model, DataSplits data, TrainingCallback injector)
    {
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        new Trainer(model, optimizer, new TrainerOptions { Epochs = Epochs, BatchSize = BatchSize, Seed = Seed }).Add(injector).Fit(data);
        return Weights(model);
    }

    private static float[][] WithPlainLoop(nn.Module<Tensor, Tensor> model, DataSplits data, LoopNoise noise)
    {
        using (model)
        {
            using var loop = new PlainLoop(model, learningRate: 0.1, noise, Seed);
            for (int epoch = 0; epoch < Epochs; epoch++)
                loop.TrainEpoch(data.Train, BatchSize);
            return Weights(model);
        }
    }

    private static float[][] Weights(nn.Module model) => [.. model.parameters().Select(p => p.data<float>().ToArray())];
}
