using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Optimization;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Benchmarks;

/// <summary>
/// Per-step cost of each place of noise: 100 optimizer steps of mlp:500,500 at batch 128 through the
/// trainer with one injector, against the same trainer without noise, interleaved.
/// Targets: input and activation ≤ 1.03, gradient and kept weight noise ≤ 1.05, before-GD and Anti-PGD ≤ 1.15.
/// </summary>
internal static class NoiseOverhead
{
    private const int Steps = 100;
    private const int BatchSize = 128;

    public static void Run(int rounds)
    {
        using var generator = new Generator(1);
        InMemoryDataset Random(int count) => new(rand(count, 1, 28, 28, generator: generator), randint(0, 10, [count], generator: generator));
        using var data = new DataSplits("random", Random(Steps * BatchSize), Random(BatchSize), Random(BatchSize), 10);
        using var model = ModelRegistry.Create(ModelSpec.Parse("mlp:500,500"), new ModelShape([1, 28, 28], 10), seed: 0);
        using var optimizer = new OptimizerSpec(OptimizerKind.Momentum, 0.001).Create(model.parameters());
        var options = new TrainerOptions { Epochs = 1, BatchSize = BatchSize, EvaluationBatchSize = BatchSize };

        Action With(Func<NoiseInjector?> injector) => () =>
        {
            var trainer = new Trainer(model, optimizer, options);
            NoiseInjector? noise = injector();
            if (noise is not null)
                trainer.Add(noise);
            trainer.Fit(data);
            (noise as IDisposable)?.Dispose();
        };

        Interleaved.Compare(
            $"noise overhead: threads {torch.get_num_threads()}, {rounds} rounds of {Steps} steps, mlp:500,500, batch {BatchSize}",
            ("trainer, no noise", With(() => null)),
            [
                ("input gaussian s=0.1", With(() => new InputNoise(NoiseSettings.Gaussian(0.1)))),
                ("input gaussian relative s=0.1", With(() => new InputNoise(NoiseSettings.Gaussian(0.1) with { Scale = NoiseScale.RelativeToStd }))),
                ("activation after fc1 s=0.05", With(() => new ActivationNoise(model, ["fc1"], NoiseSettings.Gaussian(0.05)))),
                ("gradient gaussian s=0.001", With(() => new GradientNoise(NoiseSettings.Gaussian(0.001)))),
                ("weight kept s=0.001", With(() => new WeightPerturbation(NoiseSettings.Gaussian(0.001), PerturbationTiming.Kept))),
                ("perturb before GD, all", With(() => new WeightPerturbation(NoiseSettings.Gaussian(0.001), PerturbationTiming.BeforeGradient))),
                ("perturb before GD, layerwise", With(() => new WeightPerturbation(NoiseSettings.Gaussian(0.001), PerturbationTiming.BeforeGradient, PerturbationScope.Layerwise))),
                ("Anti-PGD s=0.001", With(() => new AntiPgd(NoiseSettings.Gaussian(0.001)))),
            ],
            rounds);
    }
}
