using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Noise.Schedules;
using NoiseLab.Randomness;

namespace NoiseLab.Tests.Noise;

public sealed class NoiseSpecTests
{
    private static NoiseInjector Create(string text, int epochs = 10)
    {
        using var model = new Mlp(4, [3], 2);
        return NoiseSpec.Parse(text, epochs).Create(model);
    }

    [Fact]
    public void Input_noise_with_decay_and_relative_scale()
    {
        var injector = Assert.IsType<InputNoise>(Create("input:uniform:sigma=0.3,decay=0.9,relative=true"));

        Assert.Equal(NoiseDistribution.Uniform, injector.Settings.Distribution);
        Assert.Equal(NoiseScale.RelativeToStd, injector.Settings.Scale);
        Assert.Equal(0.3 * 0.81, injector.Settings.Schedule.At(0, 2), 12);
        Assert.Equal("input", injector.Name);
    }

    [Fact]
    public void Perturbation_options_map_to_timing_and_scope()
    {
        var before = Assert.IsType<WeightPerturbation>(Create("perturb:gaussian:sigma=0.003,when=before,scope=layerwise"));
        var after = Assert.IsType<WeightPerturbation>(Create("perturb:gaussian:sigma=0.003,when=after"));
        var kept = Assert.IsType<WeightPerturbation>(Create("weight:gaussian:sigma=0.001"));

        Assert.Equal((PerturbationTiming.BeforeGradient, PerturbationScope.Layerwise), (before.Timing, before.Scope));
        Assert.Equal((PerturbationTiming.Kept, PerturbationScope.All), (after.Timing, after.Scope));
        Assert.Equal((PerturbationTiming.Kept, "weight"), (kept.Timing, kept.Name));
    }

    [Fact]
    public void Annealed_gradient_noise_reads_eta_as_a_variance()
    {
        var injector = Assert.IsType<GradientNoise>(Create("gradient:annealed:eta=0.3,gamma=0.55"));

        var schedule = Assert.IsType<AnnealedSigma>(injector.Settings.Schedule);
        Assert.Equal(Math.Sqrt(0.3), schedule.At(0, 0), 15);
    }

    [Fact]
    public void Cosine_true_damps_over_the_run_and_linear_to_ramps()
    {
        var cosine = Create("input:gaussian:sigma=0.2,cosine=true", epochs: 4);
        var linear = Create("input:gaussian:sigma=0.2,linear_to=0.1", epochs: 3);

        Assert.Equal(0.1, cosine.Settings.Schedule.At(0, 2), 12);
        Assert.Equal(0.0, cosine.Settings.Schedule.At(0, 4), 12);
        Assert.Equal([0.2, 0.15, 0.1], Enumerable.Range(0, 3).Select(e => Math.Round(linear.Settings.Schedule.At(0, e), 12)));
    }

    [Theory]
    [InlineData("input:gaussian:sigma=-0.1", "--noise 'input:gaussian:sigma=-0.1': sigma must be a finite number >= 0.")]
    [InlineData("input:gaussian:sigma=0.1,decay=1.5", "--noise 'input:gaussian:sigma=0.1,decay=1.5': decay must be in (0, 1].")]
    [InlineData("hidden:gaussian:sigma=0.1", "--noise 'hidden:gaussian:sigma=0.1': unknown place or kind 'hidden:gaussian'.")]
    [InlineData("input:cauchy:sigma=0.1", "--noise 'input:cauchy:sigma=0.1': unknown place or kind 'input:cauchy'.")]
    [InlineData("input", "--noise 'input': it needs PLACE:KIND.")]
    [InlineData("input:gaussian", "--noise 'input:gaussian': sigma=VALUE is required.")]
    [InlineData("input:gaussian:sigma=0.1,sigam=2", "--noise 'input:gaussian:sigma=0.1,sigam=2': --noise input:gaussian: unknown key(s) sigam;")]
    [InlineData("perturb:gaussian:sigma=0.1,scope=some", "--noise 'perturb:gaussian:sigma=0.1,scope=some': scope must be all or layerwise, not 'some'.")]
    [InlineData("activation:gaussian:sigma=0.1", "--noise 'activation:gaussian:sigma=0.1': after=NAME is required")]
    public void Bad_specs_are_refused_with_the_problem_and_the_accepted_forms(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => NoiseSpec.Parse(text, 10));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("Accepted forms: input:gaussian|uniform:sigma=S;", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_module_is_caught_when_the_model_is_known()
    {
        NoiseSpec spec = NoiseSpec.Parse("activation:gaussian:sigma=0.1,after=fc7", 1);
        using var model = new Mlp(4, [3], 2);

        var error = Assert.Throws<ArgumentException>(() => spec.Create(model));

        Assert.StartsWith("The model has no module 'fc7' with a tensor output; its modules are: fc1, out.", error.Message, StringComparison.Ordinal);
    }
}
