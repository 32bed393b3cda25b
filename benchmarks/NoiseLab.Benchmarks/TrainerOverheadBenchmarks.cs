using BenchmarkDotNet.Attributes;
using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Optimization;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Benchmarks;

/// <summary>
/// The trainer's cost over a bare TorchSharp loop doing the same work: 200 optimizer steps of
/// mlp:500,500 (784-500-500-10) at batch 128 with SGD momentum, shuffled by index, with the
/// per-step measurements the trainer records (loss, accuracy, gradient norm). The Ratio column
/// is trainer time / bare-loop time; the target is at most 1.05. Validation and test splits are
/// a single batch each. A third case shows what the gradient-norm diagnostic itself costs.
/// </summary>
[InProcess]
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(20)]
public class TrainerOverheadBenchmarks
{
    public const int Steps = 200;
    private const int BatchSize = 128;
    private DataSplits _data = null!;
    private nn.Module<Tensor, Tensor> _model = null!;
    private optim.Optimizer _optimizer = null!;
    private Generator _shuffle = null!;
    private IReadOnlyList<TorchSharp.Modules.Parameter> _parameters = null!;

    [GlobalSetup]
    public void Setup()
    {
        int threads = int.TryParse(Environment.GetEnvironmentVariable("NOISELAB_BENCH_THREADS"), out int t) ? t : Environment.ProcessorCount;
        torch.set_num_threads(threads);
        using var generator = new Generator(1);
        InMemoryDataset Random(int count) => new(
            rand(count, 1, 28, 28, generator: generator),
            randint(0, 10, [count], generator: generator));
        _data = new DataSplits("random", Random(Steps * BatchSize), Random(BatchSize), Random(BatchSize), 10);
        _model = ModelRegistry.Create(ModelSpec.Parse("mlp:500,500"), new ModelShape([1, 28, 28], 10), seed: 0);
        _optimizer = new OptimizerSpec(OptimizerKind.Momentum, 0.01).Create(_model.parameters());
        _shuffle = new Generator(2);
        _parameters = [.. _model.parameters()];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _data.Dispose();
        _shuffle.Dispose();
    }

    [Benchmark(Baseline = true, Description = "bare TorchSharp loop")]
    public double BareLoop() => Bare(measureGradientNorm: true);

    [Benchmark(Description = "bare loop without gradient norm")]
    public double BareLoopWithoutGradientNorm() => Bare(measureGradientNorm: false);

    private double Bare(bool measureGradientNorm)
    {
        InMemoryDataset train = _data.Train;
        _model.train();
        using Tensor order = randperm(train.Count, generator: _shuffle);
        double lossSum = 0;
        long correct = 0;
        for (int step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            var (inputs, targets) = train.Gather(order.narrow(0, step * BatchSize, BatchSize));
            _optimizer.zero_grad();
            Tensor output = _model.forward(inputs);
            Tensor loss = nn.functional.cross_entropy(output, targets);
            lossSum += loss.item<float>();
            loss.backward();
            if (measureGradientNorm)
                lossSum += GradientNorm.Compute(_parameters) * 0;
            _optimizer.step();
            correct += output.argmax(1).eq(targets).sum().item<long>();
        }
        return lossSum + correct;
    }

    [Benchmark(Description = "NoiseLab Trainer")]
    public double Trainer()
    {
        var trainer = new Trainer(_model, _optimizer, new TrainerOptions { Epochs = 1, BatchSize = BatchSize, EvaluationBatchSize = BatchSize });
        return trainer.Fit(_data).TestLoss;
    }
}
