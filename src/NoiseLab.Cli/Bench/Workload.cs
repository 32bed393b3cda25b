using NoiseLab.Adaptive;
using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Optimization;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Cli.Bench;

/// <summary>A place of noise to measure: a stable key, a name for people, and how to make the injector for a model.</summary>
internal sealed record NoiseCase(string Key, string Name, Func<nn.Module, NoiseInjector> Create);

/// <summary>
/// A model, random data of its input shape and an optimizer, trained for one epoch of
/// <see cref="Steps"/> optimizer steps by the real <see cref="Trainer"/>, with or without an injector.
/// </summary>
internal sealed class Workload : IDisposable
{
    private readonly DataSplits _data;
    private readonly optim.Optimizer _optimizer;
    private readonly TrainerOptions _options;

    private Workload(string key, string model, ModelShape shape, DataSplits data, int steps, int batchSize)
    {
        Key = key;
        ModelName = model;
        Steps = steps;
        BatchSize = batchSize;
        _data = data;
        Model = ModelRegistry.Create(ModelSpec.Parse(model), shape, seed: 0);
        _optimizer = new OptimizerSpec(OptimizerKind.Momentum, 0.001).Create(Model.parameters());
        _options = new TrainerOptions { Epochs = 1, BatchSize = batchSize, EvaluationBatchSize = batchSize };
        ParameterCount = Model.parameters().Sum(p => p.numel());
    }

    /// <summary>The prefix of this workload's keys ("" for mlp:500,500, the main one).</summary>
    public string Key { get; }

    /// <summary>The model spec.</summary>
    public string ModelName { get; }

    /// <summary>Optimizer steps per run.</summary>
    public int Steps { get; }

    /// <summary>Samples per step.</summary>
    public int BatchSize { get; }

    /// <summary>The model.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    /// <summary>Elements in all parameters.</summary>
    public long ParameterCount { get; }

    /// <summary>mlp:500,500 on 28×28×1 images, 10 classes.</summary>
    public static Workload Mlp(int steps, int batchSize) => Images("", "mlp:500,500", [1, 28, 28], steps, batchSize);

    /// <summary>tinycnn on 28×28×1 images, 10 classes.</summary>
    public static Workload TinyCnn(int steps, int batchSize) => Images("tinycnn.", "tinycnn", [1, 28, 28], steps, batchSize);

    /// <summary>simplecnn (22.9M parameters) on 32×32×3 images, 10 classes.</summary>
    public static Workload SimpleCnn(int steps, int batchSize) => Images("simplecnn.", "simplecnn", [3, 32, 32], steps, batchSize);

    /// <summary>The transformer classifier on random token sequences of length 64 over 1000 tokens.</summary>
    public static Workload Transformer(int steps, int batchSize)
    {
        const int length = 64, vocabulary = 1000;
        using var generator = new Generator(1);
        InMemoryDataset Tokens(int count) => new(randint(1, vocabulary, [count, length], generator: generator), randint(0, 2, [count], generator: generator));
        var data = new DataSplits("random-tokens", Tokens(steps * batchSize), Tokens(batchSize), Tokens(batchSize), 2) { VocabularySize = vocabulary };
        return new Workload("transformer.", "transformer", new ModelShape([length], 2, vocabulary), data, steps, batchSize);
    }

    private static Workload Images(string key, string model, long[] sampleShape, int steps, int batchSize)
    {
        using var generator = new Generator(1);
        InMemoryDataset Random(int count) => new(rand([count, .. sampleShape], generator: generator), randint(0, 10, [count], generator: generator));
        var data = new DataSplits("random", Random(steps * batchSize), Random(batchSize), Random(batchSize), 10);
        return new Workload(key, model, new ModelShape(sampleShape, 10), data, steps, batchSize);
    }

    /// <summary>One epoch with <paramref name="callback"/> (an injector, a census, or none); returns its step time in milliseconds (<see cref="StepClock"/>).</summary>
    public double Train(TrainingCallback? callback)
    {
        var trainer = new Trainer(Model, _optimizer, _options);
        var clock = new StepClock();
        trainer.Add(clock);
        if (callback is not null)
            trainer.Add(callback);
        trainer.Fit(_data);
        return clock.StepMilliseconds();
    }

    /// <summary>The places of noise of the issue, for a model whose first hidden layer is <paramref name="activationModule"/>.</summary>
    public static IReadOnlyList<NoiseCase> WeightAndInputCases(string activationModule) =>
    [
        new("input_gaussian", "input gaussian s=0.1", _ => new InputNoise(NoiseSettings.Gaussian(0.1))),
        new("input_relative", "input gaussian relative-to-std s=0.1", _ => new InputNoise(NoiseSettings.Gaussian(0.1) with { Scale = NoiseScale.RelativeToStd })),
        new("activation", $"activation after {activationModule} s=0.05", m => new ActivationNoise(m, [activationModule], NoiseSettings.Gaussian(0.05))),
        new("gradient", "gradient gaussian s=0.001", _ => new GradientNoise(NoiseSettings.Gaussian(0.001))),
        new("weight_kept", "weight noise kept s=0.001", _ => new WeightPerturbation(NoiseSettings.Gaussian(0.001), PerturbationTiming.Kept)),
        new("perturb_before_all", "perturb before GD, all s=0.001", _ => new WeightPerturbation(NoiseSettings.Gaussian(0.001), PerturbationTiming.BeforeGradient)),
        new("perturb_before_layerwise", "perturb before GD, layerwise s=0.001", _ => new WeightPerturbation(NoiseSettings.Gaussian(0.001), PerturbationTiming.BeforeGradient, PerturbationScope.Layerwise)),
        new("anti_pgd", "Anti-PGD s=0.001", _ => new AntiPgd(NoiseSettings.Gaussian(0.001))),
        new("adaptive", "adaptive controller (seed 002 rules)", _ => new AdaptiveNoise(new AdaptiveNoiseOptions(), totalEpochs: 1)),
    ];

    /// <summary>Embedding noise, for the transformer.</summary>
    public static IReadOnlyList<NoiseCase> EmbeddingCases { get; } =
    [
        new("embedding_gaussian", "embedding gaussian s=0.1", m => new EmbeddingNoise(m, NoiseSettings.Gaussian(0.1), neftuneScaling: false)),
        new("embedding_neftune", "embedding NEFTune alpha=5", m => new EmbeddingNoise(m, NoiseSettings.Uniform(5), neftuneScaling: true)),
    ];

    /// <summary>Frees the model, optimizer and data.</summary>
    public void Dispose()
    {
        _optimizer.Dispose();
        Model.Dispose();
        _data.Dispose();
    }
}
