using NoiseLab.Randomness;

namespace NoiseLab.Tests.Randomness;

public sealed class NoiseGeneratorTests
{
    [Fact]
    public void Generators_are_found_by_name_whatever_the_case_and_an_unknown_name_lists_them()
    {
        Assert.Same(NoiseGenerator.Aes128BoxMullerV1, NoiseGenerator.Find("AES128-BoxMuller-v1"));
        Assert.False(NoiseGenerator.TryFind("philox-v0", out _));

        var error = Assert.Throws<ArgumentException>(() => NoiseGenerator.Find("philox-v0"));

        Assert.StartsWith($"There is no noise generator 'philox-v0'; the generators are {string.Join(", ", NoiseGenerator.All.Select(g => g.Name + (g == NoiseGenerator.Default ? " (the default)" : "")))}.", error.Message, StringComparison.Ordinal);
        Assert.Equal(NoiseGenerator.All.Count, NoiseGenerator.All.Select(g => g.Name).Distinct().Count());
    }

    [Fact]
    public async Task A_scope_selects_a_generator_until_disposed_and_restores_the_one_before()
    {
        Assert.Same(NoiseGenerator.Default, NoiseGenerator.Current);
        NoiseGenerator other = NoiseGenerator.All[^1];
        NoiseGenerator first = NoiseGenerator.All[0];

        using (NoiseGenerator.Use(first))
        {
            using (NoiseGenerator.Use(other))
                Assert.Same(other, NoiseGenerator.Current);
            Assert.Same(first, NoiseGenerator.Current);
            // Tasks started inside the scope draw with its generator too.
            Assert.Same(first, await Task.Run(() => NoiseGenerator.Current));
        }

        Assert.Same(NoiseGenerator.Default, NoiseGenerator.Current);
    }
}
