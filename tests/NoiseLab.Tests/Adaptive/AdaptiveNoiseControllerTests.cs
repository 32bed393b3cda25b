using NoiseLab.Adaptive;

namespace NoiseLab.Tests.Adaptive;

public sealed class AdaptiveNoiseControllerTests
{
    // Small windows so that scripts stay short; the rules are Table V's.
    private static readonly AdaptiveNoiseOptions s_options = new() { MinEpochs = 4, Window = 3, ConsecutiveTrigger = 2 };

    private static AdaptiveNoiseController Feed(IEnumerable<(double Grad, double Update, double Train, double Val)> epochs, int total = 20, AdaptiveNoiseOptions? options = null)
    {
        var controller = new AdaptiveNoiseController(options ?? s_options, total);
        int epoch = 1;
        foreach (var (grad, update, train, val) in epochs)
            controller.Observe(epoch++, grad, update, train, val);
        return controller;
    }

    // A healthy run: gradient norm moving 10 % an epoch, big updates, validation falling 0.05 an epoch.
    private static IEnumerable<(double, double, double, double)> Healthy(int epochs) =>
        Enumerable.Range(0, epochs).Select(e => (1.0 * Math.Pow(0.9, e), 1.0, 2.0 - 0.1 * e, 2.0 - 0.05 * e));

    [Fact]
    public void A_healthy_run_raises_no_flag()
    {
        var controller = Feed(Healthy(10));

        Assert.All(controller.Decisions, d => Assert.False(d.Injects));
        Assert.Equal(["warm-up", "warm-up", "warm-up", "clear", "clear"], controller.Decisions.Take(5).Select(d => d.Reason));
    }

    [Fact]
    public void A_gradient_plateau_is_stuck_and_gets_gradient_noise_with_the_seed_formula()
    {
        // Gradient norm flat at 0.5 from epoch 1: relative change 0 < 0.025, improvement 0.
        var controller = Feed(Enumerable.Range(0, 4).Select(e => (0.5, 1.0, 2.0 - 0.1 * e, 2.0 - 0.05 * e)));

        AdaptiveDecision decision = controller.Decisions[^1];
        Assert.Equal((4, true, false, "stuck"), (decision.Epoch, decision.Stuck, decision.Overfitting, decision.Reason));
        double f = 1 - 1 / (1 + Math.Exp(0.025));            // k·0 − δ with δ = 0.025
        Assert.Equal(f, decision.FStuck, 12);
        Assert.Equal((0.01 + f * 0.04) * 0.5 * (1 + Math.Cos(Math.PI * 4 / 20)), decision.Sigma, 12);
    }

    [Fact]
    public void Nothing_triggers_before_the_minimum_epochs_even_on_a_plateau()
    {
        var controller = Feed(Enumerable.Range(0, 3).Select(_ => (0.5, 1.0, 1.0, 1.0)));

        Assert.All(controller.Decisions, d => Assert.Equal("warm-up", d.Reason));
    }

    [Fact]
    public void Tiny_weight_updates_are_stuck_too()
    {
        var controller = Feed(Healthy(4).Select(e => (e.Item1, 1e-4, e.Item3, e.Item4)));

        Assert.True(controller.Decisions[^1].Stuck);
    }

    [Fact]
    public void Validation_rising_while_training_falls_for_three_epochs_is_overfitting_and_gets_weight_noise()
    {
        // Over the 5-epoch window validation still fell on average (no plateau), but it rose in each of
        // the last three epochs while training loss fell: the NEpochsOverfit rule alone raises the flag.
        double[] val = [2.0, 1.5, 1.0, 1.02, 1.04, 1.06];
        var options = s_options with { Window = 5, ConsecutiveTrigger = 10 };
        var controller = Feed(Enumerable.Range(0, 6).Select(e => (Math.Pow(0.8, e), 1.0, 2.0 - 0.2 * e, val[e])), options: options);

        Assert.Equal(["warm-up", "warm-up", "warm-up", "warm-up", "clear", "overfitting"], controller.Decisions.Select(d => d.Reason));
        AdaptiveDecision last = controller.Decisions[^1];
        Assert.Equal((false, true), (last.Stuck, last.Overfitting));
        Assert.Equal(AdaptiveNoiseController.StuckFactor((1.5 - 1.06) / 1.5, 1e-4), last.FStuck, 12);
    }

    [Fact]
    public void A_validation_plateau_is_overfitting_at_once()
    {
        double[] val = [2.0, 1.8, 1.6, 1.65];
        var controller = Feed(Enumerable.Range(0, 4).Select(e => (Math.Pow(0.8, e), 1.0, 2.0 - 0.2 * e, val[e])), options: s_options with { Window = 2 });

        Assert.Equal("overfitting", controller.Decisions[^1].Reason);
        Assert.True(controller.Decisions[^1].FStuck > 0.99);
    }

    [Fact]
    public void After_the_consecutive_trigger_a_cooldown_of_the_computed_length_follows()
    {
        // Stuck from epoch 4 on; ConsecutiveTrigger 2 → the second noisy decision (epoch 5) starts a cooldown.
        var controller = Feed(Enumerable.Range(0, 14).Select(e => (0.5, 1.0, 2.0 - 0.1 * e, 2.0 - 0.05 * e)));

        double f = AdaptiveNoiseController.StuckFactor(0, 0.025);
        int cooldown = (int)Math.Round(3 + f * 7, MidpointRounding.AwayFromZero);
        string[] reasons = [.. controller.Decisions.Select(d => d.Reason)];
        Assert.Equal(7, cooldown);            // F = 1 − sigmoid(−0.025) = 0.506 → 3 + 0.506·7 = 6.54
        Assert.Equal("stuck", reasons[3]);
        Assert.Equal("stuck", reasons[4]);
        Assert.Equal(cooldown, controller.Decisions[4].CooldownLeft);
        Assert.Equal(Enumerable.Repeat("cooldown", cooldown), reasons[5..(5 + cooldown)]);
        Assert.Equal("stuck", reasons[5 + cooldown]);
        Assert.Equal([6, 5, 4, 3, 2, 1, 0], controller.Decisions.Skip(5).Take(cooldown).Select(d => d.CooldownLeft));
    }

    [Fact]
    public void Table_V_is_the_default()
    {
        var options = new AdaptiveNoiseOptions();

        Assert.Equal((70, 10, 1e-4, 3, 0.025, 5e-4), (options.MinEpochs, options.Window, options.ValPlateauDelta, options.EpochsOverfit, options.GradientPlateau, options.LowWeightUpdate));
        Assert.Equal((0.01, 0.05, 10, 3, 10), (options.SigmaMin, options.SigmaMax, options.ConsecutiveTrigger, options.CooldownMin, options.CooldownMax));
    }
}
