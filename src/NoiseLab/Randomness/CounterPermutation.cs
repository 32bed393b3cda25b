namespace NoiseLab.Randomness;

/// <summary>
/// A permutation of 0 … n−1 drawn by a Fisher–Yates shuffle from the AES counter stream of a
/// 64-bit key. It depends on nothing but the key and n (not on libtorch's or .NET's generators,
/// whose algorithms may change between versions), so files written from it are the same
/// everywhere and forever.
/// </summary>
internal static class CounterPermutation
{
    /// <summary>The permutation of 0 … <paramref name="count"/>−1 that <paramref name="key"/> gives.</summary>
    public static int[] Of(int count, ulong key)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var permutation = new int[count];
        for (int i = 0; i < count; i++)
            permutation[i] = i;
        var words = new Words(AesCounter.Expand(key, 0x6E6F6973656C6162UL));
        for (int i = count - 1; i > 0; i--)
        {
            int j = words.Below((uint)i + 1);
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }
        return permutation;
    }

    // The stream's 32-bit words in counter order, four per block.
    private sealed class Words(AesCounter.RoundKeys keys)
    {
        private readonly AesCounter.RoundKeys _keys = keys;
        private uint _block;
        private int _used = 4;
        private (uint, uint, uint, uint) _current;

        // Uniform in [0, bound): Lemire's multiply-and-shift, rejecting the few words that would bias it.
        public int Below(uint bound)
        {
            uint threshold = unchecked(0u - bound) % bound;
            while (true)
            {
                ulong product = (ulong)Next() * bound;
                if ((uint)product >= threshold)
                    return (int)(product >> 32);
            }
        }

        private uint Next()
        {
            if (_used == 4)
            {
                _current = AesCounter.Block(in _keys, _block++, 0, 0, 0);
                _used = 0;
            }
            return _used++ switch
            {
                0 => _current.Item1,
                1 => _current.Item2,
                2 => _current.Item3,
                _ => _current.Item4,
            };
        }
    }
}
