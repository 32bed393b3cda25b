using NoiseLab.Cli.Reports;

namespace NoiseLab.Tests.Cli.Reports;

public sealed class PlotFileNamesTests
{
    [Theory]
    [InlineData("fashion-mnist|mlp:8|momentum:0.05|clip=none", "fashion-mnist-mlp-8-momentum-0.05-clip-none")]
    [InlineData("../Évil name/..", "vil-name")]
    [InlineData("Learning Curves", "learning-curves")]
    [InlineData("|||", "x")]
    [InlineData("", "x")]
    public void A_slug_keeps_lower_case_letters_digits_dots_and_single_dashes(string text, string slug) =>
        Assert.Equal(slug, PlotFileNames.Slug(text));

    [Fact]
    public void A_long_slug_is_cut_at_60_characters_without_a_trailing_dash()
    {
        string slug = PlotFileNames.Slug(new string('a', 59) + "|b" + new string('c', 40));

        Assert.Equal(new string('a', 59), slug);
    }

    [Fact]
    public void Two_names_that_slug_alike_get_distinct_files()
    {
        var names = new PlotFileNames();

        string first = names.Next("tiny", "data|mlp:8", "learning curves");
        string second = names.Next("tiny", "data|mlp-8", "learning curves");
        string third = names.Next("tiny", "data mlp 8", "learning curves");

        Assert.Equal("tiny_data-mlp-8_learning-curves.png", first);
        Assert.Equal("tiny_data-mlp-8_learning-curves-2.png", second);
        Assert.Equal("tiny_data-mlp-8_learning-curves-3.png", third);
    }
}
