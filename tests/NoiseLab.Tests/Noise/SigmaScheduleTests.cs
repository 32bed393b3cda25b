using NoiseLab.Noise.Schedules;

namespace NoiseLab.Tests.Noise;

public sealed class SigmaScheduleTests
{
    [Fact]
    public void Exponential_decay_is_s0_times_r_to_the_epoch()
    {
        SigmaSchedule schedule = new ConstantSigma(0.3) * new ExponentialDecay(0.9);

        Assert.Equal(0.3, schedule.At(0, 0), 15);
        Assert.Equal(0.27, schedule.At(500, 1), 15);
        Assert.Equal(0.3 * Math.Pow(0.9, 5), schedule.At(0, 5), 15);
    }

    [Fact]
    public void Annealed_noise_takes_eta_as_the_variance_not_the_standard_deviation()
    {
        var schedule = new AnnealedSigma(eta: 0.01, gamma: 0.55);

        // Seed 004: sigma_t^2 = eta / (1 + t)^gamma. With eta = 0.01 the first step's std is 0.1, not 0.01.
        Assert.Equal(0.1, schedule.At(0, 0), 15);
        Assert.Equal(Math.Sqrt(0.01 / Math.Pow(100, 0.55)), schedule.At(99, 3), 15);
        Assert.Equal(0.01 / Math.Pow(100, 0.55), schedule.Variance(99), 15);
    }

    [Fact]
    public void Cosine_damping_goes_from_one_to_zero_over_E_epochs_and_stays_there()
    {
        var schedule = new CosineDamping(10);

        Assert.Equal(1.0, schedule.At(0, 0), 15);
        Assert.Equal(0.5 * (1 + Math.Cos(Math.PI * 3 / 10)), schedule.At(0, 3), 15);
        Assert.Equal(0.5, schedule.At(0, 5), 15);
        Assert.Equal(0.0, schedule.At(0, 10), 15);
        Assert.Equal(0.0, schedule.At(0, 14), 15);
    }

    [Fact]
    public void Linear_and_step_schedules_follow_their_formulas()
    {
        var linear = new LinearSigma(0.2, 0.0, 4);
        var step = new StepSigma(every: 3, factor: 0.5);

        Assert.Equal([0.2, 0.15, 0.1, 0.05, 0.0, 0.0], Enumerable.Range(0, 6).Select(e => Math.Round(linear.At(0, e), 12)));
        Assert.Equal([1, 1, 1, 0.5, 0.5, 0.5, 0.25], Enumerable.Range(0, 7).Select(e => step.At(0, e)));
    }

    [Fact]
    public void Products_multiply_every_factor()
    {
        SigmaSchedule schedule = new ConstantSigma(0.4) * new ExponentialDecay(0.5) * new CosineDamping(4);

        Assert.Equal(0.4 * 0.25 * 0.5, schedule.At(0, 2), 15);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    public void Decay_outside_zero_to_one_is_refused(double rate)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(rate));

        Assert.StartsWith("decay must be in (0, 1].", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_sigma_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSigma(-0.1));

        Assert.StartsWith("sigma must be a finite number >= 0.", error.Message, StringComparison.Ordinal);
    }
}
