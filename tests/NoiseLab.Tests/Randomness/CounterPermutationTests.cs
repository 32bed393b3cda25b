using NoiseLab.Randomness;

namespace NoiseLab.Tests.Randomness;

public sealed class CounterPermutationTests
{
    [Fact]
    public void The_same_key_gives_the_same_permutation_and_another_key_another()
    {
        int[] first = CounterPermutation.Of(1000, key: 42);

        Assert.Equal(Enumerable.Range(0, 1000), first.Order());
        Assert.Equal(first, CounterPermutation.Of(1000, key: 42));
        Assert.NotEqual(first, CounterPermutation.Of(1000, key: 43));
    }

    [Fact]
    public void Every_position_is_equally_likely()
    {
        // Where element 0 lands over 20,000 keys: 5 positions, 4,000 expected each (std 57).
        var landed = new int[5];
        for (ulong key = 0; key < 20_000; key++)
            landed[Array.IndexOf(CounterPermutation.Of(5, key), 0)]++;

        Assert.All(landed, n => Assert.InRange(n, 4000 - 300, 4000 + 300));
    }

    [Fact]
    public void The_permutations_do_not_change_between_versions()
    {
        // Files on disk (MNIST-10k's split) are written from these: a change would silently move samples.
        // The value was computed independently too, from OpenSSL's AES-128-ECB of the same counter blocks.
        Assert.Equal([0, 8, 5, 6, 7, 3, 4, 9, 1, 2], CounterPermutation.Of(10, key: 0));
    }
}
