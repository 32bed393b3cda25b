using NoiseLab.Cli.Bench;
using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Optimization;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Cli.Bench;

/// <summary>Counted, not timed: what a noisy training step allocates after warm-up.</summary>
public sealed class AllocationCensusTests
{
    private const int Steps = 6, Warmup = 2, Batch = 16;

    private static AllocationCensus Census(Func<nn.Module, TrainingCallback?> callback)
    {
        using var generator = new Generator(3);
        InMemoryDataset Random(int count) => new(rand([count, 1, 8, 8], generator: generator), randint(0, 10, [count], generator: generator));
        using var data = new DataSplits("random", Random(Steps * Batch), Random(Batch), Random(Batch), 10);
        using var model = ModelRegistry.Create(ModelSpec.Parse("mlp:64,64"), new ModelShape([1, 8, 8], 10), seed: 0);
        using var optimizer = new OptimizerSpec(OptimizerKind.Momentum, 0.01).Create(model.parameters());
        TrainingCallback? inner = callback(model);
        var census = new AllocationCensus(inner, Warmup);
        var trainer = new Trainer(model, optimizer, new TrainerOptions { Epochs = 1, BatchSize = Batch, EvaluationBatchSize = Batch });
        trainer.Add(census);
        trainer.Fit(data);
        (inner as IDisposable)?.Dispose();
        return census;
    }

    public static TheoryData<string> Kinds => ["input_gaussian", "input_relative", "activation", "gradient", "weight_kept", "perturb_before_all", "perturb_before_layerwise", "anti_pgd", "adaptive"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_noisy_step_creates_no_parameter_sized_tensor_after_warm_up(string kind)
    {
        NoiseCase noise = Workload.WeightAndInputCases("fc1").Single(c => c.Key == kind);

        AllocationCensus census = Census(model => noise.Create(model));

        Assert.Equal(Steps - Warmup, census.Steps);
        Assert.Equal(0, census.ParameterSized);
    }

    [Fact]
    public void A_callback_that_copies_a_weight_each_step_is_counted_once_per_step()
    {
        AllocationCensus census = Census(_ => new CopiesFirstWeight());

        Assert.Equal(Steps - Warmup, census.Steps);
        Assert.Equal(Steps - Warmup, census.ParameterSized);
    }

    [Fact]
    public void Gradient_noise_adds_only_one_gradient_handle_per_parameter_to_a_plain_step()
    {
        AllocationCensus plain = Census(_ => null);
        AllocationCensus noisy = Census(_ => new GradientNoise(NoiseSettings.Gaussian(0.01)));

        // mlp:64,64 has 6 parameters; each .grad read is a new TorchSharp object over the same memory.
        Assert.Equal(6 * (Steps - Warmup), noisy.Tensors - plain.Tensors);
    }

    private sealed class CopiesFirstWeight : TrainingCallback
    {
        public override void OnAfterClipping(TrainingContext context) => context.Parameters[0].detach().clone();
    }
}
