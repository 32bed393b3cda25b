using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Optimization;
using NoiseLab.Tests.Support;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Training;

public sealed class TrainerTests
{
    private static TrainingResult Train(DataSplits data, TrainerOptions options, double lr = 0.05, params TrainingCallback[] callbacks)
    {
        using var model = ModelRegistry.Create(ModelSpec.Parse("mlp:16"), new ModelShape(data.SampleShape, data.ClassCount), options.Seed);
        using var optimizer = new OptimizerSpec(OptimizerKind.Momentum, lr).Create(model.parameters());
        var trainer = new Trainer(model, optimizer, options);
        foreach (var callback in callbacks)
            trainer.Add(callback);
        return trainer.Fit(data);
    }

    /// <summary>Records the moments in the order the trainer calls them, with what it can see there.</summary>
    private sealed class MomentLog : TrainingCallback
    {
        public List<string> Moments { get; } = [];

        public override void OnTrainStart(TrainingContext c) => Moments.Add("train-start");
        public override void OnEpochStart(TrainingContext c) => Moments.Add($"epoch-start {c.Epoch}");
        public override void OnStepStart(TrainingContext c) => Moments.Add($"step-start {c.Step} {c.Inputs!.shape[0]} {(c.Model.training ? "train" : "eval")}");
        public override void OnAfterBackward(TrainingContext c) => Moments.Add($"after-backward {c.Parameters[0].grad is not null}");
        public override void OnAfterClipping(TrainingContext c) => Moments.Add("after-clipping");
        public override void OnAfterOptimizerStep(TrainingContext c) => Moments.Add("after-step");
        public override void OnEpochEnd(TrainingContext c, EpochRecord r) => Moments.Add($"epoch-end {r.Epoch}");
        public override void OnTrainEnd(TrainingContext c) => Moments.Add("train-end");
    }

    [Fact]
    public void Moments_run_in_the_documented_order_with_the_batch_in_view()
    {
        using DataSplits data = Blobs.Create(train: 100);
        var log = new MomentLog();

        Train(data, new TrainerOptions { Epochs = 2, BatchSize = 64 }, callbacks: log);

        string[] step(long s, int n) => [$"step-start {s} {n} train", "after-backward True", "after-clipping", "after-step"];
        string[] expected =
        [
            "train-start",
            "epoch-start 1", .. step(0, 64), .. step(1, 36), "epoch-end 1",
            "epoch-start 2", .. step(2, 64), .. step(3, 36), "epoch-end 2",
            "train-end",
        ];
        Assert.Equal(expected, log.Moments);
    }

    [Fact]
    public void The_same_seed_replays_bit_for_bit_and_another_seed_differs()
    {
        using DataSplits data = Blobs.Create();
        var options = new TrainerOptions { Epochs = 3, BatchSize = 32, Seed = 7 };

        TrainingResult first = Train(data, options);
        TrainingResult again = Train(data, options);
        TrainingResult other = Train(data, options with { Seed = 8 });

        Assert.Equal(first.History, again.History);
        Assert.Equal(first.TestLoss, again.TestLoss);
        Assert.NotEqual(first.History.Select(r => r.TrainLoss), other.History.Select(r => r.TrainLoss));
    }

    [Fact]
    public void Training_a_separable_problem_learns_it()
    {
        using DataSplits data = Blobs.Create(train: 512);

        TrainingResult result = Train(data, new TrainerOptions { Epochs = 5, BatchSize = 32 });

        Assert.True(result.TestAccuracy >= 0.95, $"test accuracy {result.TestAccuracy}");
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss);
    }

    /// <summary>Checks what the trainer records against an independent computation at the same moments.</summary>
    private sealed class NormProbe : TrainingCallback
    {
        private Tensor[]? _start;
        public List<double> GradNorms { get; } = [];
        public List<double> ClippedNorms { get; } = [];
        public double UpdateNorm { get; private set; }

        public override void OnEpochStart(TrainingContext c) => _start = [.. c.Parameters.Select(p => p.detach().clone())];

        public override void OnAfterBackward(TrainingContext c) =>
            GradNorms.Add(Math.Sqrt(c.Parameters.Sum(p => p.grad!.pow(2).sum().item<float>())));

        public override void OnAfterClipping(TrainingContext c) =>
            ClippedNorms.Add(Math.Sqrt(c.Parameters.Sum(p => p.grad!.pow(2).sum().item<float>())));

        public override void OnEpochEnd(TrainingContext c, EpochRecord r) =>
            UpdateNorm = Math.Sqrt(c.Parameters.Select((p, i) => p.detach().sub(_start![i]).pow(2).sum().item<float>()).Sum());
    }

    [Fact]
    public void Gradient_norm_is_measured_before_clipping_and_clipping_caps_it()
    {
        using DataSplits data = Blobs.Create(train: 128);
        var probe = new NormProbe();

        TrainingResult result = Train(data, new TrainerOptions { Epochs = 1, BatchSize = 32, ClipNorm = 0.5 }, lr: 0.01, probe);

        Assert.Equal(probe.GradNorms.Average(), result.History[0].GradNorm, 4);
        Assert.Contains(probe.GradNorms, n => n > 0.5);
        Assert.All(probe.GradNorms.Zip(probe.ClippedNorms), pair =>
            Assert.Equal(Math.Min(pair.First, 0.5 * pair.First / (pair.First + 1e-6)), pair.Second, 4));
        Assert.Equal(probe.UpdateNorm, result.History[0].WeightUpdateNorm, 4);
    }

    [Fact]
    public void A_diverging_run_stops_with_the_epoch_step_and_a_fix()
    {
        using DataSplits data = Blobs.Create();

        var error = Assert.Throws<TrainingDivergedException>(() => Train(data, new TrainerOptions { Epochs = 3 }, lr: 1e6));

        Assert.Matches(@"^Training diverged: the loss became (NaN|∞|-?Infinity) at epoch \d, step \d+\. Lower the learning rate \(--lr\)", error.Message);
    }

    private sealed class TrainingOnlyScaling : nn.Module<Tensor, Tensor>
    {
        public TrainingOnlyScaling() : base(nameof(TrainingOnlyScaling)) { }

        public override Tensor forward(Tensor input) => training ? input.mul(1000) : input.alias();
    }

    [Fact]
    public void Evaluation_runs_in_eval_mode_and_restores_the_previous_mode()
    {
        using DataSplits data = Blobs.Create();
        using var model = nn.Sequential(("scale", new TrainingOnlyScaling()), ("mlp", new Mlp(8, [4], 3)));
        model.train();

        var (inTraining, _) = Evaluation.Run(model, data.Test, new ClassificationObjective(), 16);
        model.eval();
        var (inEval, _) = Evaluation.Run(model, data.Test, new ClassificationObjective(), 16);

        Assert.True(model.training is false);
        Assert.Equal(inEval, inTraining);
        model.train();
        Evaluation.Run(model, data.Test, new ClassificationObjective(), 16);
        Assert.True(model.training);
    }

    [Theory]
    [InlineData(0, 128, null, "Epochs must be at least 1.")]
    [InlineData(1, 0, null, "The batch size must be at least 1.")]
    [InlineData(1, 128, -1.0, "The clipping norm must be a positive finite number.")]
    public void Invalid_options_are_refused_by_name(int epochs, int batch, double? clip, string expected)
    {
        var options = new TrainerOptions { Epochs = epochs, BatchSize = batch, ClipNorm = clip };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}

public sealed class GradientAccumulationTests
{
    /// <summary>Keeps the gradient each optimizer step saw, and counts the step moments.</summary>
    private sealed class GradientLog : TrainingCallback
    {
        public List<float[]> Gradients { get; } = [];
        public int StepStarts { get; private set; }

        public override void OnStepStart(TrainingContext context) => StepStarts++;

        public override void OnAfterBackward(TrainingContext context) =>
            Gradients.Add(context.Parameters[0].grad!.data<float>().ToArray());
    }

    private static GradientLog Run(int batchSize, int accumulation)
    {
        using DataSplits data = Blobs.Create(train: 96);
        using var model = ModelRegistry.Create(ModelSpec.Parse("mlp:8"), new ModelShape(data.SampleShape, data.ClassCount), seed: 1);
        using var optimizer = new OptimizerSpec(OptimizerKind.Sgd, 0.05).Create(model.parameters());
        var log = new GradientLog();
        new Trainer(model, optimizer, new TrainerOptions { Epochs = 1, BatchSize = batchSize, AccumulationSteps = accumulation, Seed = 2 })
            .Add(log).Fit(data);
        return log;
    }

    [Fact]
    public void Accumulating_micro_batches_gives_the_whole_batch_gradient_once_per_optimizer_step()
    {
        GradientLog whole = Run(batchSize: 32, accumulation: 1);
        GradientLog accumulated = Run(batchSize: 8, accumulation: 4);

        Assert.Equal(3, whole.StepStarts);
        Assert.Equal(3, accumulated.StepStarts);
        foreach (var (a, b) in whole.Gradients.Zip(accumulated.Gradients))
        {
            for (int i = 0; i < a.Length; i++)
                Assert.Equal(a[i], b[i], 1e-6f);
        }
    }
}
