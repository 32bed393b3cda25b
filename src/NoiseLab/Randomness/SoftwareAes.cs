using System.Runtime.Intrinsics;

namespace NoiseLab.Randomness;

/// <summary>
/// The AES round function written out byte by byte (FIPS-197): the fallback for CPUs without AES
/// instructions and the reference the hardware paths are tested against. Slow (a few hundred
/// nanoseconds a block) but exact. The S-box is computed from its definition, the multiplicative
/// inverse in GF(2⁸) followed by the affine map.
/// </summary>
internal static class SoftwareAes
{
    /// <summary>The AES S-box.</summary>
    public static byte[] SBox { get; } = BuildSBox();

    /// <summary>Multiplication by x in GF(2⁸) modulo x⁸ + x⁴ + x³ + x + 1.</summary>
    public static byte Times2(byte value) => (byte)((value << 1) ^ ((value & 0x80) != 0 ? 0x1B : 0));

    /// <summary>
    /// Encrypts one block with round keys k₀…k_R: xor k₀, R − 1 full rounds, a last round without
    /// MixColumns (AES-128 with its 11 expanded keys, or ARS with its Weyl keys).
    /// </summary>
    public static Vector128<byte> Encrypt(ReadOnlySpan<Vector128<byte>> keys, Vector128<byte> block)
    {
        int rounds = keys.Length - 1;
        Span<byte> state = stackalloc byte[16];
        Span<byte> shifted = stackalloc byte[16];
        (block ^ keys[0]).CopyTo(state);
        for (int round = 1; round <= rounds; round++)
        {
            // SubBytes and ShiftRows together: row r of column c comes from column c + r.
            for (int c = 0; c < 4; c++)
            {
                for (int r = 0; r < 4; r++)
                    shifted[r + 4 * c] = SBox[state[r + 4 * ((c + r) % 4)]];
            }
            if (round < rounds)
                MixColumns(shifted);
            (Vector128.Create<byte>(shifted) ^ keys[round]).CopyTo(state);
        }
        return Vector128.Create<byte>(state);
    }

    private static void MixColumns(Span<byte> state)
    {
        for (int c = 0; c < 16; c += 4)
        {
            byte a0 = state[c], a1 = state[c + 1], a2 = state[c + 2], a3 = state[c + 3];
            byte all = (byte)(a0 ^ a1 ^ a2 ^ a3);
            // 2a0 ^ 3a1 ^ a2 ^ a3 = a0 ^ all ^ 2(a0 ^ a1), and so on around the column.
            state[c] = (byte)(a0 ^ all ^ Times2((byte)(a0 ^ a1)));
            state[c + 1] = (byte)(a1 ^ all ^ Times2((byte)(a1 ^ a2)));
            state[c + 2] = (byte)(a2 ^ all ^ Times2((byte)(a2 ^ a3)));
            state[c + 3] = (byte)(a3 ^ all ^ Times2((byte)(a3 ^ a0)));
        }
    }

    private static byte[] BuildSBox()
    {
        var box = new byte[256];
        for (int x = 0; x < 256; x++)
        {
            byte inverse = Inverse((byte)x);
            int affine = inverse;
            for (int shift = 1; shift <= 4; shift++)
                affine ^= (inverse << shift) | (inverse >> (8 - shift));
            box[x] = (byte)((affine ^ 0x63) & 0xFF);
        }
        return box;
    }

    // x^254 = x^-1 in GF(2⁸) (and 0 for 0).
    private static byte Inverse(byte x)
    {
        byte result = 1, power = x;
        for (int exponent = 254; exponent > 0; exponent >>= 1, power = Multiply(power, power))
        {
            if ((exponent & 1) != 0)
                result = Multiply(result, power);
        }
        return x == 0 ? (byte)0 : result;
    }

    private static byte Multiply(byte a, byte b)
    {
        byte product = 0;
        for (; b != 0; b >>= 1, a = Times2(a))
        {
            if ((b & 1) != 0)
                product ^= a;
        }
        return product;
    }
}
