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
