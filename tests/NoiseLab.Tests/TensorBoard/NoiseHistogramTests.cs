using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Noise.Schedules;
using NoiseLab.Optimization;
using NoiseLab.Randomness;
using NoiseLab.TensorBoard;
using NoiseLab.Tests.Support;
using NoiseLab.Training;
using static TorchSharp.torch;

namespace NoiseLab.Tests.TensorBoard;

/// <summary>
/// Noise histograms: an injector records what it drew (count, level, key), and the logger draws it again. The
/// redrawn values must be the noise the step really added, measured as the difference around the injector.
/// </summary>
public sealed class NoiseHistogramTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>At one moment of the step, what <paramref name="read"/> gives before the callbacks between two probes and after them.</summary>
    private sealed class DifferenceProbe(Func<TrainingContext, IEnumerable<Tensor>> read, string moment) : TrainingCallback
    {
        private Tensor? _before;

        public Tensor? Difference { get; private set; }

        public TrainingCallback After => new AfterProbe(this);

        private Tensor Read(TrainingContext context) => cat([.. read(context).Select(t => t.detach().flatten().to_type(ScalarType.Float32))]);

        private void Before(TrainingContext context, string at)
        {
            if (at != moment)
                return;
            _before?.Dispose();
            _before = Read(context).DetachFromDisposeScope();
        }

        private void Measure(TrainingContext context, string at)
        {
            if (at != moment)
                return;
            Difference?.Dispose();
            Difference = Read(context).sub(_before!).DetachFromDisposeScope();
        }

        public override void OnStepStart(TrainingContext context) => Before(context, "step-start");

        public override void OnAfterClipping(TrainingContext context) => Before(context, "after-clipping");

        public override void OnAfterOptimizerStep(TrainingContext context) => Before(context, "after-step");

        private sealed class AfterProbe(DifferenceProbe probe) : TrainingCallback
        {
            public override void OnStepStart(TrainingContext context) => probe.Measure(context, "step-start");

            public override void OnAfterClipping(TrainingContext context) => probe.Measure(context, "after-clipping");

            public override void OnAfterOptimizerStep(TrainingContext context) => probe.Measure(context, "after-step");
        }
    }

    public static TheoryData<string> Places => ["input", "gradient", "weight", "weight-layerwise"];

    [Theory]
    [MemberData(nameof(Places))]
    public void The_redrawn_noise_of_the_last_step_is_the_noise_the_step_added(string place)
    {
        using DataSplits data = Blobs.Create(train: 96);
        var options = new TrainerOptions { Epochs = 2, BatchSize = 32, Seed = 4, ClipNorm = 1.0 };
        using var model = ModelRegistry.Create(ModelSpec.Parse("mlp:6"), new ModelShape(data.SampleShape, data.ClassCount), options.Seed);
        using var optimizer = new OptimizerSpec(OptimizerKind.Momentum, 0.05).Create(model.parameters());
        var relative = new NoiseSettings(NoiseDistribution.Uniform, new ConstantSigma(0.05), NoiseScale.RelativeToStd);
        Tensor[] parameters = [.. model.parameters()];
        (NoiseInjector injector, DifferenceProbe probe) = place switch
        {
            "input" => ((NoiseInjector)new InputNoise(relative), new DifferenceProbe(c => [c.Inputs!], "step-start")),
            "gradient" => (new GradientNoise(NoiseSettings.Gaussian(0.01)), new DifferenceProbe(_ => parameters.Select(p => p.grad!), "after-clipping")),
            "weight" => (new WeightPerturbation(NoiseSettings.Gaussian(0.01), PerturbationTiming.Kept), new DifferenceProbe(_ => parameters, "after-step")),
            _ => (new WeightPerturbation(relative, PerturbationTiming.Kept, PerturbationScope.Layerwise), new DifferenceProbe(_ => parameters, "after-step")),
        };
        using var logger = new TensorBoardLogger(_folder.Path) { Histograms = true };

        new Trainer(model, optimizer, options).Add(probe).Add(injector).Add(probe.After).Add(logger).Fit(data);

        Assert.True(injector.RecordDraws, "the logger turned recording on");
        using Tensor redrawn = NoiseDraw.Redraw(injector.LastDraws);
        // Layerwise noise touched one group at the last step: the others differ by exactly 0.
        using Tensor added = probe.Difference!.index_select(0, probe.Difference!.ne(0).nonzero().flatten());
        Assert.Equal(added.numel(), redrawn.numel());
        // (x + n) − x rounds n by at most an ulp of x; the values are a few units at most.
        Assert.True(added.allclose(redrawn, rtol: 0, atol: 1e-6), $"the largest difference is {(added - redrawn).abs().max().item<float>()}");
        HistogramValue written = EventFileReader.ReadEvents(logger.FilePath).Last(e => e.Histograms.Count > 0).Histograms.Single(h => h.Tag == "noise/" + injector.Name);
        Assert.Equal(HistogramValue.Of("noise/" + injector.Name, redrawn), written);
    }

    [Fact]
    public void Every_injector_of_a_run_gets_its_own_histogram_each_epoch_and_none_records_without_histograms()
    {
        using DataSplits data = Blobs.Create(train: 64);
        var options = new TrainerOptions { Epochs = 2, BatchSize = 32, Seed = 2 };
        using var model = ModelRegistry.Create(ModelSpec.Parse("mlp:6"), new ModelShape(data.SampleShape, data.ClassCount), options.Seed);
        using var optimizer = new OptimizerSpec(OptimizerKind.Sgd, 0.05).Create(model.parameters());
        using var anti = new AntiPgd(NoiseSettings.Gaussian(0.002));
        using var activation = new ActivationNoise(model, ["fc1"], NoiseSettings.Gaussian(0.1));
        var input = new InputNoise(NoiseSettings.Gaussian(0.1));
        using var logger = new TensorBoardLogger(_folder.Path) { Histograms = true };

        new Trainer(model, optimizer, options).Add(input).Add(anti).Add(activation).Add(logger).Fit(data);

        var read = EventFileReader.ReadEvents(logger.FilePath).Where(e => e.Histograms.Count > 0).ToList();
        Assert.Equal([1L, 2L], read.Select(e => e.Step));
        foreach (var histograms in read.Select(e => e.Histograms))
            Assert.Equal(["noise/activation", "noise/anti", "noise/input"], histograms.Select(h => h.Tag).Where(t => t.StartsWith("noise/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        // Anti-PGD's is the ξ in the weights now, one draw per parameter tensor, at the level σ.
        Assert.Equal(model.parameters().Count(), anti.LastDraws.Count);
        Assert.All(anti.LastDraws, d => Assert.Equal(0.002f, d.Sigma));
        // The activation hook drew once per training forward: the last step's batch of 32 × 6 hidden units.
        Assert.Equal(32 * 6, activation.LastDraws.Single().Count);

        var quiet = new InputNoise(NoiseSettings.Gaussian(0.1));
        using var model2 = ModelRegistry.Create(ModelSpec.Parse("mlp:6"), new ModelShape(data.SampleShape, data.ClassCount), options.Seed);
        using var optimizer2 = new OptimizerSpec(OptimizerKind.Sgd, 0.05).Create(model2.parameters());
        using var scalarsOnly = new TensorBoardLogger(_folder.File("scalars"));
        new Trainer(model2, optimizer2, options).Add(quiet).Add(scalarsOnly).Fit(data);
        Assert.Empty(quiet.LastDraws);
    }
}
