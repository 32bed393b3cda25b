using NoiseLab.Configuration;

namespace NoiseLab.Tests.Configuration;

public sealed class SpecArgumentsTests
{
    [Fact]
    public void Typed_values_are_read_and_absent_keys_fall_back()
    {
        var arguments = SpecArguments.Parse("sigma=0.1, relative=true,after=fc1,every=3", "test");

        Assert.Equal(0.1, arguments.Double("sigma", 0));
        Assert.True(arguments.Bool("relative", false));
        Assert.Equal("fc1", arguments.Text("after", ""));
        Assert.Equal(3, arguments.Int("every", 0));
        Assert.Equal(0.9, arguments.Double("decay", 0.9));
        arguments.RejectUnused();
    }

    [Theory]
    [InlineData("sigma", "test: 'sigma' is not of the form key=value.")]
    [InlineData("sigma=1,sigma=2", "test: 'sigma' is given twice.")]
    public void Malformed_text_is_refused(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => SpecArguments.Parse(text, "test"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_named()
    {
        var arguments = SpecArguments.Parse("sigma=abc", "input:gaussian");

        var error = Assert.Throws<ArgumentException>(() => arguments.Double("sigma", 0));

        Assert.StartsWith("input:gaussian: sigma=abc is not a number.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_key_is_an_error_not_a_silent_default()
    {
        var arguments = SpecArguments.Parse("sigam=0.1", "input:gaussian");
        arguments.Double("sigma", 0);

        var error = Assert.Throws<ArgumentException>(arguments.RejectUnused);

        Assert.Equal("input:gaussian: unknown key(s) sigam; accepted: sigma.", error.Message);
    }
}
