using NoiseLab.Experiments;
using NoiseLab.Randomness;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Experiments;

public sealed class SweepSpecTests
{
    [Theory]
    [InlineData("seed002-adaptive-fashion.yaml", 2 * 3 * 3 * 3)]
    [InlineData("seed002-gap-fashion.yaml", 1 * 2 * 3 * 3)]
    [InlineData("seed002-gap-more-fashion.yaml", (1 * 1 * 3 + 1 * 2 * 3) * 3)]
    [InlineData("seed003-perturbed-gd.yaml", (2 * 9 + 2 * 9 + 1 * 5 + 3 * 9 + 1 * 13) * 3)]
    [InlineData("seed004-gradient-noise-fashion.yaml", 4 * 2 * 2 * 4 * 5)]
    [InlineData("seed004-table1-mnist10k.yaml", (2 * 2 * 1 + 1 * 2 * 2 + 2 * 2 * 1) * 3 * 20)]
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
    [InlineData("epochs: 2\nseeds: [0]\nmodels: [mlp]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\ngenerator: philox-v0\n", "s.yaml:6: 'generator' names no noise generator 'philox-v0'; the generators are aes128-boxmuller-v1")]
    [InlineData("epochs: 2\nseeds: [0]\nmodels: [mlp]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\ndevice: tpu\n", "s.yaml:6: 'device' is invalid: device must be cpu, cuda or cuda:N; got 'tpu'.")]
    [InlineData("epochs: 2\nseeds: [0]\nmodels: [mlp]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\ndevice: cuda:1\n", "s.yaml:6: 'device' is invalid: device cuda:1 needs a CUDA build of libtorch and a GPU, and this process has neither")]
    [InlineData("epochs: 2\nseeds: [0]\nmodels: [mlp]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\ndtype: int8\n", "s.yaml:6: 'dtype' is invalid: dtype must be float32 or float64; got 'int8'.")]
    public void Invalid_specs_name_file_line_and_key(string yaml, string expected)
    {
        var error = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(yaml, "s.yaml"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    private const string TwoGroups = """
        name: subset
        seeds: [0, 1]
        groups:
          - data: fashion-mnist
            epochs: 1
            models: ["mlp:4"]
            optimizers: [{optimizer: sgd, lr: 0.1}]
          - data: seattle-temp
            epochs: 1
            models: [lstm]
            optimizers: [{optimizer: adam, lr: 0.005}]
            plans: PLANS
        noise:
          none: []
          big: ["perturb:gaussian:sigma=0.003,when=before,scope=all"]
          tiny: ["perturb:gaussian:sigma=0.000001,when=before,scope=all"]
        """;

    [Fact]
    public void A_group_s_plans_choose_which_of_the_sweep_s_noise_plans_it_runs()
    {
        SweepSpec spec = SweepSpec.Parse(TwoGroups.Replace("PLANS", "[tiny, none]", StringComparison.Ordinal), "subset.yaml");

        // The first group runs every plan; the second only the two it names, in the order of 'noise'.
        Assert.Equal(3 * 2 + 2 * 2, spec.Runs.Count);
        Assert.Equal(["none", "big", "tiny"], spec.Runs.Where(r => r.Spec.DataSet == "fashion-mnist").Select(r => r.NoisePlan).Distinct());
        Assert.Equal(["none", "tiny"], spec.Runs.Where(r => r.Spec.DataSet == "seattle-temp").Select(r => r.NoisePlan).Distinct());
        Assert.Equal(["perturb:gaussian:sigma=0.000001,when=before,scope=all"], spec.Runs.First(r => r.Spec.DataSet == "seattle-temp" && r.NoisePlan == "tiny").Spec.Noise);
    }

    [Theory]
    [InlineData("[none, huge]", "subset.yaml:12: 'plans' names 'huge', which is not a plan of 'noise'; its plans are: none, big, tiny.")]
    [InlineData("[none, none]", "subset.yaml:12: 'plans' names the plan 'none' 2 times; each plan must appear once.")]
    [InlineData("[]", "subset.yaml:12: 'plans' must not be empty.")]
    [InlineData("none", "subset.yaml:12: 'plans' must be a list.")]
    public void A_group_s_plans_must_name_plans_of_the_sweep_each_once(string plans, string expected)
    {
        var error = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(TwoGroups.Replace("PLANS", plans, StringComparison.Ordinal), "subset.yaml"));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("data: fashion-mnist\n", 5000)]
    [InlineData("data: mnist-10k\n", 1000)]
    [InlineData("data: mnist-10k\nval_size: 300\n", 300)]
    public void The_validation_size_is_the_specs_val_size_or_the_data_sets_default(string keys, int expected)
    {
        const string Grid = "name: g\nepochs: 1\nseeds: [0]\nmodels: [\"mlp:4\"]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n";

        SweepSpec spec = SweepSpec.Parse(Grid + keys, "g.yaml");

        Assert.All(spec.Runs, r => Assert.Equal(expected, r.Spec.Data.Validation.Size));
    }

    [Fact]
    public void The_device_and_dtype_keys_reach_every_run_and_default_to_cpu_float32()
    {
        const string Grid = "name: g\nepochs: 1\nseeds: [0, 1]\nmodels: [\"mlp:4\"]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n";

        SweepSpec placed = SweepSpec.Parse(Grid + "device: CPU\ndtype: float64\n", "g.yaml");
        SweepSpec plain = SweepSpec.Parse(Grid, "g.yaml");

        Assert.All(placed.Runs, r => Assert.Equal(("cpu", TorchSharp.torch.ScalarType.Float64), (r.Spec.Device, r.Spec.DType)));
        Assert.All(plain.Runs, r => Assert.Equal(("cpu", TorchSharp.torch.ScalarType.Float32), (r.Spec.Device, r.Spec.DType)));
        Assert.Equal(plain.Runs.Select(r => r.Id), placed.Runs.Select(r => r.Id));
    }

    [Fact]
    public void The_generator_key_reaches_every_run_and_a_spec_without_it_draws_with_the_default()
    {
        const string Grid = "name: g\nepochs: 1\nseeds: [0, 1]\nmodels: [\"mlp:4\"]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n";
        NoiseGenerator first = NoiseGenerator.All[0];

        SweepSpec named = SweepSpec.Parse(Grid + $"generator: {first.Name}\n", "g.yaml");
        SweepSpec plain = SweepSpec.Parse(Grid, "g.yaml");

        Assert.Same(first, named.NoiseGenerator);
        Assert.All(named.Runs, r => Assert.Same(first, r.Spec.Trainer.NoiseGenerator));
        Assert.Same(NoiseGenerator.Default, plain.NoiseGenerator);
        Assert.All(plain.Runs, r => Assert.Same(NoiseGenerator.Default, r.Spec.Trainer.NoiseGenerator));
        Assert.All(plain.WithNoiseGenerator(first).Runs, r => Assert.Same(first, r.Spec.Trainer.NoiseGenerator));
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

    [Fact]
    public void A_clean_pass_over_the_training_split_is_a_spec_key_off_by_default()
    {
        const string yaml = "name: clean\nepochs: 2\neval_train: true\nseeds: [0]\nmodels: [mlp:8]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n";

        Assert.True(Assert.Single(SweepSpec.Parse(yaml, "clean.yaml").Runs).Spec.Trainer.EvaluateTrainingSet);
        Assert.False(Assert.Single(SweepSpec.Parse(yaml.Replace("eval_train: true\n", "", StringComparison.Ordinal), "clean.yaml").Runs).Spec.Trainer.EvaluateTrainingSet);
        var error = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(yaml.Replace("eval_train: true", "eval_train: yes", StringComparison.Ordinal), "clean.yaml"));
        Assert.Equal("clean.yaml:3: 'eval_train' must be true or false, not 'yes'.", error.Message);
    }

    private const string AugmentedAndPlain =
        "name: apart\nepochs: 2\nseeds: [0, 1]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: [], tiny: ['gradient:gaussian:sigma=0.01']}\ngroups:\n" +
        "  - models: [mlp:8]\n    augment: trueLABEL1\n" +
        "  - models: [mlp:8]\n    augment: falseLABEL2\n";

    [Fact]
    public void Groups_that_differ_only_in_settings_a_run_name_leaves_out_are_refused_until_one_has_a_label()
    {
        var error = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(AugmentedAndPlain.Replace("LABEL1", "", StringComparison.Ordinal).Replace("LABEL2", "", StringComparison.Ordinal), "apart.yaml"));
        Assert.Equal("apart.yaml:9: this group's run 'fashion-mnist|mlp:8|sgd:0.1|clip=none|none|seed=0' is also a run of the group at line 7; "
            + "a run's name holds only its data, model, optimizer and learning rate, clip, plan and seed, so give one of the groups a label (e.g. label: no-augment) to keep both.", error.Message);

        SweepSpec spec = SweepSpec.Parse(AugmentedAndPlain.Replace("LABEL1", "", StringComparison.Ordinal).Replace("LABEL2", "\n    label: no-augment", StringComparison.Ordinal), "apart.yaml");

        Assert.Equal(8, spec.Runs.Count);
        SweepRun plain = spec.Runs.Single(r => r.Id == "fashion-mnist|mlp:8|sgd:0.1|clip=none|no-augment|tiny|seed=1");
        Assert.False(plain.Spec.Augment);
        Assert.True(spec.Runs.Single(r => r.Id == "fashion-mnist|mlp:8|sgd:0.1|clip=none|tiny|seed=1").Spec.Augment);
        Assert.Equal("fashion-mnist|mlp:8|sgd:0.1|clip=none|no-augment", SweepReport.ConfigurationOf(plain.Id));
        Assert.Equal(["fashion-mnist|mlp:8|sgd:0.1|clip=none", "fashion-mnist|mlp:8|sgd:0.1|clip=none|no-augment"],
            spec.Runs.Select(r => SweepReport.ConfigurationOf(r.Id)).Distinct().Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [InlineData("\n    label: a|b", "apart.yaml:11: 'label' must be 1 to 40 letters, digits, '.', '_' or '-' (it becomes part of each run's name), not 'a|b'.")]
    [InlineData("\n    label: 'no augment'", "apart.yaml:11: 'label' must be 1 to 40 letters, digits, '.', '_' or '-' (it becomes part of each run's name), not 'no augment'.")]
    [InlineData("\n    label: abcdefghijabcdefghijabcdefghijabcdefghijX", "apart.yaml:11: 'label' must be 1 to 40 letters, digits, '.', '_' or '-' (it becomes part of each run's name), not 'abcdefghijabcdefghijabcdefghijabcdefghijX'.")]
    public void A_label_is_one_short_word(string label, string expected)
    {
        var error = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(AugmentedAndPlain.Replace("LABEL1", "", StringComparison.Ordinal).Replace("LABEL2", label, StringComparison.Ordinal), "apart.yaml"));
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void A_model_listed_twice_in_one_group_is_named_as_the_repeat()
    {
        const string yaml = "name: twice\nepochs: 2\nseeds: [0]\nmodels: [mlp:8, mlp:8]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n";

        var error = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(yaml, "twice.yaml"));

        Assert.Equal("twice.yaml:1: two runs of this group are both named 'fashion-mnist|mlp:8|sgd:0.1|clip=none|none|seed=0' (a model listed twice, "
            + "or two optimizers of one kind and learning rate); remove the repeat, or give each its own group with its own label.", error.Message);
    }

    [Fact]
    public void A_plan_name_may_not_hold_the_run_name_separator()
    {
        const string yaml = "name: bar\nepochs: 2\nseeds: [0]\nmodels: [mlp:8]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {'a|b': []}\n";

        var error = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(yaml, "bar.yaml"));

        Assert.Equal("bar.yaml:6: 'noise' plan names must be non-empty and without '|' (they are part of each run's name), not 'a|b'.", error.Message);
    }
}
