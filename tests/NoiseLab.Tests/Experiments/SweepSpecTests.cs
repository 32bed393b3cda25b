using NoiseLab.Experiments;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Experiments;

public sealed class SweepSpecTests
{
    [Theory]
    [InlineData("seed002-adaptive-fashion.yaml", 2 * 3 * 3 * 3)]
    [InlineData("seed003-perturbed-gd.yaml", (3 + 1) * 9 * 3)]
    [InlineData("seed004-gradient-noise-fashion.yaml", 4 * 2 * 2 * 4 * 5)]
    public void The_committed_experiment_specs_are_valid_and_expand_to_their_grids(string file, int runs)
    {
        SweepSpec spec = SweepSpec.Load(Checkout.File("experiments", file));

        Assert.Equal(runs, spec.Runs.Count);
        Assert.Equal(runs, spec.Runs.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void A_spec_expands_every_combination_with_its_settings()
    {
        const string yaml = """
            name: tiny
            data: fashion-mnist
            limit_train: 500
            epochs: 2
            clip: [1, 10]
            seeds: [0, 1]
            models: ["mlp:16"]
            optimizers:
              - {optimizer: momentum, lr: 0.05}
            noise:
              none: []
              input: ["input:gaussian:sigma=0.1"]
            """;

        SweepSpec spec = SweepSpec.Parse(yaml, "tiny.yaml");

        Assert.Equal(2 * 2 * 2, spec.Runs.Count);
        SweepRun run = spec.Runs.Single(r => r.Id == "fashion-mnist|mlp:16|momentum:0.05|clip=10|input|seed=1");
        Assert.Equal(["input:gaussian:sigma=0.1"], run.Spec.Noise);
        Assert.Equal((2, 10.0, 1L, 500), (run.Spec.Trainer.Epochs, run.Spec.Trainer.ClipNorm!.Value, run.Spec.Trainer.Seed, run.Spec.Data.LimitTrain!.Value));
        Assert.Equal(0.9, spec.SuccessAt);
    }

    [Theory]
    [InlineData("epochs: 2\nseeds: [0]\nmodels: [mlp]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\nepoch: 3\n", "s.yaml:6: unknown key 'epoch'; accepted keys:")]
    [InlineData("epochs: two\nseeds: [0]\nmodels: [mlp]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n", "s.yaml:1: 'epochs' must be an integer, not 'two'.")]
    [InlineData("epochs: 2\nseeds: [0]\nmodels: [mlp, vgg16]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n", "s.yaml:3: 'models' names unknown model 'vgg16'; known:")]
    [InlineData("epochs: 2\nseeds: [0]\nmodels: [mlp]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise:\n  none: []\n  bad: [\"input:gaussian:sigma=-1\"]\n", "s.yaml:7: 'noise.bad' is invalid: --noise 'input:gaussian:sigma=-1': sigma must be a finite number >= 0")]
    [InlineData("seeds: [0]\nmodels: [mlp]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n", "s.yaml:1: 'epochs' is required.")]
    [InlineData("epochs: 2\nseeds: [0]\nmodels: [mlp]\noptimizers: [{optimizer: lion, lr: 0.1}]\nnoise: {none: []}\n", "s.yaml:4: 'optimizers' is invalid: Unknown optimizer 'lion'; choose one of: sgd, momentum, adam, adamw")]
    [InlineData("epochs: [2\n", "s.yaml:")]
    public void Invalid_specs_name_file_line_and_key(string yaml, string expected)
    {
        var error = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(yaml, "s.yaml"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Augmentation_and_sharpness_are_spec_keys_that_reach_every_run()
    {
        const string yaml = "name: extra\nepochs: 2\naugment: true\nsharpness: 2\nseeds: [0]\nmodels: [tinycnn]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n";

        SweepRun run = Assert.Single(SweepSpec.Parse(yaml, "extra.yaml").Runs);

        Assert.True(run.Spec.Augment);
        Assert.Equal(2, run.Spec.SharpnessEvery);
        var error = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(yaml.Replace("augment: true", "augment: maybe", StringComparison.Ordinal), "extra.yaml"));
        Assert.Equal("extra.yaml:3: 'augment' must be true or false, not 'maybe'.", error.Message);
    }
}
