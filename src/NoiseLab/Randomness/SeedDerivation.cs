using System.Text;

namespace NoiseLab.Randomness;

/// <summary>
/// Derives independent 64-bit seeds from a run seed and a purpose ("shuffle", "torch-global", …),
/// so that each random stream of a run has its own seed and adding a stream never shifts another.
/// Stable across processes and platforms (FNV-1a over the purpose, mixed by SplitMix64).
/// </summary>
public static class SeedDerivation
{
    /// <summary>The seed of stream <paramref name="purpose"/> in a run seeded with <paramref name="runSeed"/>.</summary>
    public static ulong Derive(long runSeed, string purpose)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(purpose))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return SplitMix64(unchecked((ulong)runSeed) ^ SplitMix64(hash));
    }

    /// <summary>Like <see cref="Derive"/>, folded to a non-negative <see cref="long"/> for APIs that take one.</summary>
    public static long DeriveNonNegative(long runSeed, string purpose) => (long)(Derive(runSeed, purpose) >> 1);

    /// <summary>SplitMix64's finalizer: a bijection of 64-bit words that spreads every input bit over the output.</summary>
    internal static ulong Mix(ulong x) => SplitMix64(x);

    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
