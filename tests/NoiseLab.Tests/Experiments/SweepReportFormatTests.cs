using NoiseLab.Experiments;

namespace NoiseLab.Tests.Experiments;

public sealed class SweepReportFormatTests
{
    [Theory]
    [InlineData(-0.00002, "-0.0000")]
    [InlineData(-0.0, "+0.0000")]
    [InlineData(0.00004, "+0.0000")]
    [InlineData(-0.00006, "-0.0001")]
    [InlineData(0.0123, "+0.0123")]
    [InlineData(-0.0368, "-0.0368")]
    public void Differences_print_with_one_sign_which_a_value_rounding_to_zero_keeps(double value, string expected) =>
        Assert.Equal(expected, SweepReport.Signed(value));
}
