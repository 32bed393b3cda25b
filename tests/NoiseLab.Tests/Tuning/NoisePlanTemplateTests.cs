using NoiseLab.Tuning;

namespace NoiseLab.Tests.Tuning;

public sealed class NoisePlanTemplateTests
{
    [Theory]
    [InlineData("input:gaussian", 0.03, "input:gaussian:sigma=0.03")]
    [InlineData("input:uniform:relative=true", 0.5, "input:uniform:relative=true,sigma=0.5")]
    [InlineData(" perturb:gaussian:when=after,scope=layerwise ", 0.001, "perturb:gaussian:when=after,scope=layerwise,sigma=0.001")]
    public void The_searched_sigma_is_written_in_as_sigma_equals(string text, double sigma, string expected)
    {
        Assert.Equal(expected, NoisePlanTemplate.Parse(text, epochs: 3).WithSigma(sigma));
    }

    [Fact]
    public void Sigma_0_means_no_plan_at_all()
    {
        Assert.Null(NoisePlanTemplate.Parse("gradient:gaussian", epochs: 1).WithSigma(0));
    }

    [Theory]
    [InlineData("input:gaussian:sigma=0.1", "--noise 'input:gaussian:sigma=0.1' gives a sigma; leave it out, the search fills it in.")]
    [InlineData("gradient:annealed", "--noise 'gradient:annealed' has no sigma to search; the search takes input, activation, weight, perturb, and embedding or gradient gaussian|uniform plans.")]
    [InlineData("embedding:neftune", "--noise 'embedding:neftune' has no sigma to search; the search takes input, activation, weight, perturb, and embedding or gradient gaussian|uniform plans.")]
    [InlineData("adaptive:window=5", "--noise 'adaptive:window=5' has no sigma to search; the search takes input, activation, weight, perturb, and embedding or gradient gaussian|uniform plans.")]
    public void Plans_that_give_or_have_no_sigma_are_refused(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => NoisePlanTemplate.Parse(text, epochs: 1));

        Assert.StartsWith(expected + " (Parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_plan_is_reported_as_the_user_wrote_it()
    {
        var error = Assert.Throws<ArgumentException>(() => NoisePlanTemplate.Parse("input:gaussian:decay=2", epochs: 1));

        Assert.StartsWith("--noise 'input:gaussian:decay=2': ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sigma=1", error.Message, StringComparison.Ordinal);
    }
}
