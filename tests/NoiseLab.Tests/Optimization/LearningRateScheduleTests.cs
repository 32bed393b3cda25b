using NoiseLab.Optimization;

namespace NoiseLab.Tests.Optimization;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Cosine_starts_at_the_rate_and_ends_at_the_minimum()
    {
        var schedule = LearningRateSchedule.Parse("cosine:min=0.01", baseRate: 0.1, stepsPerEpoch: 10);

        Assert.Equal(0.1, schedule.At(0, 101), 12);
        Assert.Equal(0.01 + 0.5 * 0.09 * (1 + Math.Cos(Math.PI * 25 / 100)), schedule.At(25, 101), 12);
        Assert.Equal(0.055, schedule.At(50, 101), 12);
        Assert.Equal(0.01, schedule.At(100, 101), 12);
    }

    [Fact]
    public void Step_multiplies_by_the_factor_every_so_many_epochs()
    {
        var schedule = LearningRateSchedule.Parse("step:every=2,factor=0.5", baseRate: 0.8, stepsPerEpoch: 10);

        Assert.Equal(0.8, schedule.At(19, 100));
        Assert.Equal(0.4, schedule.At(20, 100));
        Assert.Equal(0.2, schedule.At(45, 100));
    }

    [Fact]
    public void Constant_is_constant()
    {
        var schedule = LearningRateSchedule.Parse("constant", 0.3, 5);

        Assert.Equal(0.3, schedule.At(0, 10));
        Assert.Equal(0.3, schedule.At(9, 10));
    }

    [Theory]
    [InlineData("cosine:mni=0.1", "--lr-schedule cosine: unknown key(s) mni; accepted: min.")]
    [InlineData("warmup", "Unknown learning-rate schedule 'warmup'")]
    [InlineData("step:factor=2", "The step schedule's factor must be in (0, 1].")]
    [InlineData("cosine:min=1", "The cosine schedule's minimum must be between 0 and the learning rate 0.1.")]
    public void Bad_schedules_are_refused_with_a_reason(string text, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => LearningRateSchedule.Parse(text, 0.1, 10));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}

public sealed class CosineDecayingRestartsTests
{
    // Seed 002's Table IV: eta_max 1e-3, eta_min 1e-6, eta_final_max 1e-5, E_restart 50, E_max 300; here 10 steps per epoch.
    private static readonly LearningRateSchedule s_schedule = LearningRateSchedule.Parse("restarts", 1e-3, stepsPerEpoch: 10);
    private const long Total = 300 * 10;

    private static double Expected(long t)
    {
        double peak = 1e-3 - Math.Min(1, t / 2500.0) * (1e-3 - 1e-5);
        double position = t % 500;
        return 1e-6 + 0.5 * (peak - 1e-6) * (1 + Math.Cos(Math.PI * position / 500));
    }

    [Theory]
    [InlineData(0L)]        // start: eta_max
    [InlineData(250L)]      // middle of the first cycle
    [InlineData(499L)]      // just before the first restart
    [InlineData(500L)]      // the first restart, peak already decayed by 500/2500
    [InlineData(1730L)]     // inside the fourth cycle
    [InlineData(2500L)]     // the last restart: peak = eta_final_max
    [InlineData(2999L)]     // the last step
    public void Values_equal_the_formula(long step)
    {
        Assert.Equal(Expected(step), s_schedule.At(step, Total), 15);
    }

    [Fact]
    public void Landmarks_are_the_ones_the_seed_describes()
    {
        Assert.Equal(1e-3, s_schedule.At(0, Total), 15);
        Assert.Equal(1e-5, s_schedule.At(2500, Total), 15);
        Assert.True(s_schedule.At(499, Total) < 1.1e-6);
        Assert.Equal(1e-3 - 0.2 * (1e-3 - 1e-5), s_schedule.At(500, Total), 15);
    }

    [Fact]
    public void Growing_cycles_follow_the_general_formula()
    {
        var schedule = new CosineDecayingRestarts(0.1, stepsPerEpoch: 1, restartEpochs: 10, etaMin: 0, etaFinalMax: 0.1, cycleGrowth: 2);

        // Cycles of 10, 20, 40 steps start at t = 0, 10, 30; t = 20 is halfway through the second.
        Assert.Equal(0.1, schedule.At(10, 1000), 15);
        Assert.Equal(0.05, schedule.At(20, 1000), 12);
        Assert.Equal(0.1, schedule.At(30, 1000), 15);
    }
}
