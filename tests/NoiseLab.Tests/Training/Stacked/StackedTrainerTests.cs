using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Models.Stacked;
using NoiseLab.Optimization;
using NoiseLab.Tests.Support;
using NoiseLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Training.Stacked;

public sealed class StackedTrainerTests
{
    private static readonly ModelShape s_images = new([1, 4, 4], 5);

    private static byte[] State(nn.Module model)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
            model.save(writer);
        return stream.ToArray();
    }

    [Theory]
    [InlineData("mlp:16,8")]
    [InlineData("mnistnet1")]
    [InlineData("deepmlp:layers=3,width=12,init=simple")]
    [InlineData("deepmlp:layers=3,width=12,init=he")]
    [InlineData("deepmlp:layers=3,width=12,init=sussillo")]
    [InlineData("deepmlp:layers=3,width=12,init=zero,dropout=0.3")]
    public void Every_replica_starts_from_the_weights_its_single_run_starts_from_bit_for_bit(string model)
    {
        var spec = ModelSpec.Parse(model);
        long?[] seeds = [3, 0, 11, 7];

        using StackedMlp stacked = StackedModels.Create(spec, s_images, seeds);

        for (int r = 0; r < seeds.Length; r++)
        {
            using var single = ModelRegistry.Create(spec, s_images, seeds[r]!.Value);
            Assert.Equal(State(single), State(stacked.Replicas[r]!));
            var own = single.parameters().ToList();
            for (int i = 0; i < own.Count; i++)
                Assert.Equal(own[i].data<float>().ToArray(), stacked.StackedParameters[i][r].reshape(own[i].shape).data<float>().ToArray());
        }
    }

    [Fact]
    public void A_replicas_own_module_reads_and_writes_its_slot_of_the_stacked_weights()
    {
        using StackedMlp stacked = StackedModels.Create(ModelSpec.Parse("mlp:6"), s_images, [1, 2, null]);
        Parameter weight = stacked.Replicas[1]!.parameters().First();

        using (no_grad())
            weight.add_(1);

        Tensor slots = stacked.StackedParameters[0];
        using var singleTwo = ModelRegistry.Create(ModelSpec.Parse("mlp:6"), s_images, 2);
        using var singleOne = ModelRegistry.Create(ModelSpec.Parse("mlp:6"), s_images, 1);
        Assert.Equal(singleTwo.parameters().First().add(1).data<float>().ToArray(), slots[1].data<float>().ToArray());
        Assert.Equal(singleOne.parameters().First().data<float>().ToArray(), slots[0].data<float>().ToArray());
        Assert.All(slots[2].data<float>().ToArray(), value => Assert.Equal(0f, value));
    }

    [Theory]
    [InlineData("mlp:16,8")]
    [InlineData("deepmlp:layers=3,width=12,init=he,dropout=0.3")]
    public void The_stacked_forward_pass_is_each_replicas_own_forward_pass_bit_for_bit_at_one_thread(string model)
    {
        using var threads = new ThreadCount(1);
        using StackedMlp stacked = StackedModels.Create(ModelSpec.Parse(model), s_images, [4, 5, 6]);
        stacked.eval();
        using var generator = new Generator(9);
        using Tensor inputs = rand([3, 10, 1, 4, 4], generator: generator);

        using Tensor output = stacked.call(inputs);

        Assert.Equal([3L, 10, 5], output.shape);
        for (int r = 0; r < 3; r++)
        {
            nn.Module<Tensor, Tensor> replica = stacked.Replicas[r]!;
            replica.eval();
            Assert.Equal(replica.call(inputs[r]).data<float>().ToArray(), output[r].data<float>().ToArray());
        }
    }

    public static TheoryData<string, OptimizerKind, double, int, bool> Configurations => new()
    {
        { "mlp:32,16", OptimizerKind.Momentum, 0, 1, false },
        { "deepmlp:layers=3,width=24,init=he", OptimizerKind.Sgd, 1e-3, 1, false },
        { "deepmlp:layers=3,width=24,init=he,dropout=0.2", OptimizerKind.Adam, 1e-4, 1, false },
        { "deepmlp:layers=2,width=16,init=sussillo,dropout=0.1", OptimizerKind.AdamW, 1e-2, 2, true },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void At_one_thread_each_replica_is_its_single_run_bit_for_bit_dropout_included(string model, OptimizerKind optimizer, double weightDecay, int accumulation, bool evaluateTrainingSet)
    {
        using var threads = new ThreadCount(1);
        using DataSplits data = Blobs.Create(train: 200, features: 16, classes: 4);
        var runs = new StackedRuns(ModelSpec.Parse(model), new OptimizerSpec(optimizer, optimizer is OptimizerKind.Adam or OptimizerKind.AdamW ? 0.01 : 0.1, weightDecay: weightDecay),
            new TrainerOptions { Epochs = 3, BatchSize = 32, AccumulationSteps = accumulation, ClipNorm = 1.0, EvaluateTrainingSet = evaluateTrainingSet });
        long?[] seeds = [5, null, 2, 9];

        var outcomes = runs.Stacked(data, seeds);

        Assert.Null(outcomes[1]);
        foreach (int slot in new[] { 0, 2, 3 })
        {
            TrainingResult single = runs.Single(data, seeds[slot]!.Value);
            TrainingResult replica = outcomes[slot]!.Result!;
            Assert.Null(outcomes[slot]!.Error);
            Assert.Equal(single.History, replica.History);
            Assert.Equal((single.TestLoss, single.TestAccuracy), (replica.TestLoss, replica.TestAccuracy));
            Assert.Equal(single.StateFingerprint, replica.StateFingerprint);
        }
    }

    [Fact]
    public void Replicas_stop_early_each_at_its_own_epoch_and_end_as_their_single_runs_with_the_best_weights_restored()
    {
        using var threads = new ThreadCount(1);
        using DataSplits data = Blobs.Create(train: 160, features: 16, classes: 4);
        var runs = new StackedRuns(ModelSpec.Parse("deepmlp:layers=2,width=16,init=he"), new OptimizerSpec(OptimizerKind.Momentum, 0.2),
            new TrainerOptions { Epochs = 8, BatchSize = 32 })
        {
            Callbacks = (_, _) => [new EarlyStopping(monitor: "val_loss", minDelta: 0.02, restoreBestWeights: true)],
        };
        long?[] seeds = [0, 1, 2, 3];

        var outcomes = runs.Stacked(data, seeds);

        var lengths = outcomes.Select(o => o!.Result!.History.Count).ToList();
        Assert.Contains(lengths, n => n < 8);
        Assert.True(lengths.Distinct().Count() > 1, $"every replica stopped at epoch {lengths[0]}");
        for (int slot = 0; slot < seeds.Length; slot++)
        {
            TrainingResult single = runs.Single(data, seeds[slot]!.Value);
            Assert.Equal(single.History, outcomes[slot]!.Result!.History);
            Assert.Equal((single.TestLoss, single.StateFingerprint), (outcomes[slot]!.Result!.TestLoss, outcomes[slot]!.Result!.StateFingerprint));
        }
    }

    private sealed class FailsAtEpoch(int epoch) : TrainingCallback
    {
        public override void OnEpochEnd(TrainingContext context, EpochRecord record)
        {
            if (record.Epoch == epoch)
                throw new InvalidOperationException($"replica {context.Options.Seed} fails at epoch {epoch}");
        }
    }

    [Fact]
    public void A_callback_that_throws_ends_its_replica_with_that_error_and_a_stop_request_ends_them_all()
    {
        using var threads = new ThreadCount(1);
        using DataSplits data = Blobs.Create(train: 96, features: 16, classes: 4);
        var runs = new StackedRuns(ModelSpec.Parse("mlp:8"), new OptimizerSpec(OptimizerKind.Sgd, 0.1), new TrainerOptions { Epochs = 3, BatchSize = 32 })
        {
            Callbacks = (seed, _) => seed == 2 ? [new FailsAtEpoch(2)] : [],
        };

        var outcomes = runs.Stacked(data, [1, 2, 3]);

        Assert.Equal("replica 2 fails at epoch 2", Assert.IsType<InvalidOperationException>(outcomes[1]!.Error).Message);
        Assert.Equal(runs.Single(data, 3).History, outcomes[2]!.Result!.History);
        var stopping = runs with { Callbacks = (seed, _) => seed == 2 ? [new CancelsAtEpoch()] : [] };
        Assert.Throws<OperationCanceledException>(() => stopping.Stacked(data, [1, 2, 3]));
    }

    private sealed class CancelsAtEpoch : TrainingCallback
    {
        public override void OnEpochEnd(TrainingContext context, EpochRecord record) => throw new OperationCanceledException();
    }

    [Fact]
    public void At_two_threads_a_stacked_product_is_within_the_rounding_bound_of_the_single_layers_product()
    {
        using var threads = new ThreadCount(2);
        const int Inputs = 784;
        using StackedMlp stacked = StackedModels.Create(ModelSpec.Parse("deepmlp:layers=1,width=50,init=he"), new ModelShape([Inputs], 10), [0, 1, 2, 3]);
        StackedLinear layer = stacked.Layers[0];
        using var generator = new Generator(3);
        using Tensor inputs = rand([4, 128, Inputs], generator: generator);

        using Tensor output = layer.call(inputs);

        // Each result is a float32 sum of 785 products (the bias included), within γ = n·u/(1 − n·u) of the exact
        // sum of their magnitudes (u = 2^-24, Higham's bound); two such results differ by at most twice that.
        double gamma = 785 * Math.Pow(2, -24) / (1 - 785 * Math.Pow(2, -24));
        for (int r = 0; r < 4; r++)
        {
            var single = (TorchSharp.Modules.Linear)stacked.Replicas[r]!.named_children().First().module;
            Tensor expected = single.call(inputs[r]);
            Tensor magnitude = inputs[r].abs().matmul(single.weight.abs().t()).add(single.bias!.abs());
            Tensor excess = output[r].sub(expected).abs().sub(magnitude.mul(2 * gamma));
            Assert.True(excess.max().ToDouble() <= 0, $"replica {r} differs from its layer by more than the bound");
        }
    }

    [Fact]
    public void At_two_threads_histories_agree_to_1e_3_and_test_accuracies_to_1e_3()
    {
        using var threads = new ThreadCount(2);
        // 784 inputs: at two threads libtorch sums the single run's 784-long products in another order than the stacked ones.
        using DataSplits data = Blobs.Create(train: 320, validation: 200, test: 400, features: 784, classes: 10);
        var runs = new StackedRuns(ModelSpec.Parse("deepmlp:layers=4,width=50,init=he"), new OptimizerSpec(OptimizerKind.Momentum, 0.02),
            new TrainerOptions { Epochs = 3, BatchSize = 64, ClipNorm = 5.0 });
        long?[] seeds = [0, 1, 2, 3];

        var outcomes = runs.Stacked(data, seeds);

        for (int slot = 0; slot < seeds.Length; slot++)
        {
            TrainingResult single = runs.Single(data, seeds[slot]!.Value);
            TrainingResult replica = outcomes[slot]!.Result!;
            Assert.Equal(single.TestAccuracy!.Value, replica.TestAccuracy!.Value, 1e-3);
            foreach (var (a, b) in single.History.Zip(replica.History))
            {
                foreach (var (x, y) in new[] { (a.TrainLoss, b.TrainLoss), (a.ValLoss, b.ValLoss), (a.GradNorm, b.GradNorm), (a.WeightUpdateNorm, b.WeightUpdateNorm) })
                    Assert.True(Math.Abs(x - y) <= 1e-3 * Math.Abs(x), $"seed {seeds[slot]}, epoch {a.Epoch}: {y} differs from {x} by more than 1e-3 of it");
                Assert.Equal(a.ValAccuracy!.Value, b.ValAccuracy!.Value, 1e-3);
            }
        }
    }
}
