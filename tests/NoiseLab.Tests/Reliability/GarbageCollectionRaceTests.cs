using NoiseLab.Cli.Bench;
using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Optimization;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Reliability;

/// <summary>
/// A whole training run, with each place of noise, gives the same bits while another thread collects garbage without
/// pause. TorchSharp leaves the Scalars it makes of plain numbers to the finalizer, which such a collection runs, and a
/// Scalar freed while libtorch reads it fails the step ("Expected false to be true") or reads a wrong value. NoiseLab's
/// own code holds every Scalar it hands libtorch (the build bans the rest: src/BannedSymbols.TorchSharpScalars.txt).
/// </summary>
public sealed class GarbageCollectionRaceTests
{
    private const int Batch = 16, StepsPerEpoch = 25, Epochs = 2;

    public static TheoryData<string> Places =>
        [.. Workload.WeightAndInputCases("fc1").Select(c => c.Key), .. Workload.EmbeddingCases.Select(c => c.Key), "none"];

    [Theory]
    [MemberData(nameof(Places))]
    public void A_noisy_run_is_bit_identical_while_another_thread_collects_garbage(string place)
    {
        (float[][] quietWeights, IReadOnlyList<EpochRecord> quietHistory) = Train(place);

        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        collector.Start();
        (float[][] Weights, IReadOnlyList<EpochRecord> History) collected;
        try
        {
            collected = Train(place);
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }

        Assert.Equal(quietHistory.Select(r => (r.TrainLoss, r.ValLoss, r.GradNorm)), collected.History.Select(r => (r.TrainLoss, r.ValLoss, r.GradNorm)));
        Assert.Equal(quietWeights.Length, collected.Weights.Length);
        for (int i = 0; i < quietWeights.Length; i++)
            Assert.Equal(quietWeights[i], collected.Weights[i]);
    }

    // Clipping at 0.05 scales every step's gradient, so the clip's own Scalar is exercised too.
    private static (float[][] Weights, IReadOnlyList<EpochRecord> History) Train(string place)
    {
        bool text = place.StartsWith("embedding", StringComparison.Ordinal);
        using var generator = new Generator(5);
        using DataSplits data = text ? Tokens(generator) : Images(generator);
        ModelShape shape = text ? new ModelShape([12], 2, 50) : new ModelShape([1, 8, 8], 10);
        using var model = ModelRegistry.Create(ModelSpec.Parse(text ? "transformer" : "mlp:64,64"), shape, seed: 3);
        using optim.Optimizer optimizer = new OptimizerSpec(OptimizerKind.Adam, 0.01).Create(model.parameters());
        var trainer = new Trainer(model, optimizer, new TrainerOptions { Epochs = Epochs, BatchSize = Batch, EvaluationBatchSize = Batch, ClipNorm = 0.05, Seed = 11 });
        NoiseCase? noise = place == "none" ? null
            : Workload.WeightAndInputCases("fc1").Concat(Workload.EmbeddingCases).Single(c => c.Key == place);
        TrainingCallback? injector = noise?.Create(model);
        if (injector is not null)
            trainer.Add(injector);
        TrainingResult result = trainer.Fit(data);
        (injector as IDisposable)?.Dispose();
        return ([.. model.parameters().Select(p => p.data<float>().ToArray())], result.History);
    }

    private static DataSplits Images(Generator generator)
    {
        InMemoryDataset Random(int count) => new(rand([count, 1, 8, 8], generator: generator), randint(0, 10, [count], generator: generator));
        return new DataSplits("random", Random(StepsPerEpoch * Batch), Random(Batch), Random(Batch), 10);
    }

    private static DataSplits Tokens(Generator generator)
    {
        InMemoryDataset Random(int count) => new(randint(1, 50, [count, 12], generator: generator), randint(0, 2, [count], generator: generator));
        return new DataSplits("random-tokens", Random(StepsPerEpoch * Batch), Random(Batch), Random(Batch), 2) { VocabularySize = 50 };
    }
}
