using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NoiseLab.Randomness;

/// <summary>
/// One vector width for the sampler's kernels: floats <typeparamref name="TFloat"/> and their bits
/// <typeparamref name="TBits"/> (32-bit integers), with the operations the kernels use. A kernel written
/// once over these runs as 16 lanes where the CPU has AVX-512 and as 8 elsewhere; every operation is exact
/// or correctly rounded lane by lane, so both widths give the same bits.
/// </summary>
internal interface IVectorLanes<TFloat, TBits>
    where TFloat : struct
    where TBits : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract nuint Count { get; }

    static abstract TBits LoadBits(ref uint source, nuint index);

    static abstract void StoreBits(TBits value, ref uint destination, nuint index);

    static abstract TFloat Float(float value);

    static abstract TBits Bits(int value);

    static abstract TFloat Add(TFloat a, TFloat b);

    static abstract TFloat Subtract(TFloat a, TFloat b);

    static abstract TFloat Multiply(TFloat a, TFloat b);

    /// <summary>a·b + c, rounded once.</summary>
    static abstract TFloat Fma(TFloat a, TFloat b, TFloat c);

    /// <summary>c − a·b, rounded once.</summary>
    static abstract TFloat FmaNegated(TFloat a, TFloat b, TFloat c);

    static abstract TFloat Sqrt(TFloat value);

    static abstract TBits Add(TBits a, TBits b);

    static abstract TBits Subtract(TBits a, TBits b);

    static abstract TBits And(TBits a, TBits b);

    static abstract TBits Or(TBits a, TBits b);

    static abstract TBits Xor(TBits a, TBits b);

    static abstract TBits ShiftLeft(TBits value, [ConstantExpected(Min = 0, Max = 31)] int count);

    static abstract TBits ShiftRightArithmetic(TBits value, [ConstantExpected(Min = 0, Max = 31)] int count);

    /// <summary>Signed 32-bit integers to floats, correctly rounded.</summary>
    static abstract TFloat FromInt32(TBits value);

    /// <summary>Unsigned 32-bit integers to floats, correctly rounded.</summary>
    static abstract TFloat FromUInt32(TBits value);

    static abstract TFloat AsFloat(TBits bits);

    static abstract TBits AsBits(TFloat value);

    /// <summary>table[index] lane by lane, for a table of 32 values and indices whose low five bits choose (the other bits are ignored).</summary>
    static abstract TFloat Lookup32(TBits index, ReadOnlySpan<float> table);

    /// <summary>Lane by lane, <paramref name="whenSet"/> where bit <paramref name="bit"/> of <paramref name="bits"/> is set, else <paramref name="otherwise"/>.</summary>
    static abstract TFloat SelectWhereBit(TBits bits, [ConstantExpected(Min = 0, Max = 31)] int bit, TFloat whenSet, TFloat otherwise);

    /// <summary>Writes <paramref name="samples"/> at <paramref name="index"/> the way <typeparamref name="TWrite"/> does.</summary>
    static abstract void Write<TWrite>(TFloat samples, ref float destination, ref float companion, nuint index) where TWrite : struct, ISampleWrite;
}

/// <summary>Eight lanes (AVX2, or any CPU through .NET's portable vectors).</summary>
internal readonly struct Lanes256 : IVectorLanes<Vector256<float>, Vector256<int>>
{
    public static nuint Count => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> LoadBits(ref uint source, nuint index) => Vector256.LoadUnsafe(ref source, index).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreBits(Vector256<int> value, ref uint destination, nuint index) => value.AsUInt32().StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Float(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Bits(int value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FmaNegated(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        System.Runtime.Intrinsics.X86.Fma.IsSupported ? System.Runtime.Intrinsics.X86.Fma.MultiplyAddNegated(a, b, c) : Vector256.FusedMultiplyAdd(-a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> value) => Vector256.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Add(Vector256<int> a, Vector256<int> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Subtract(Vector256<int> a, Vector256<int> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> And(Vector256<int> a, Vector256<int> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Or(Vector256<int> a, Vector256<int> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Xor(Vector256<int> a, Vector256<int> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftLeft(Vector256<int> value, [ConstantExpected(Min = 0, Max = 31)] int count) => Vector256.ShiftLeft(value, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftRightArithmetic(Vector256<int> value, [ConstantExpected(Min = 0, Max = 31)] int count) => Vector256.ShiftRightArithmetic(value, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FromInt32(Vector256<int> value) => Vector256.ConvertToSingle(value);

    // The top 24 bits convert exactly, the low 8 too, and the fused sum rounds once: the correctly rounded value,
    // as AVX-512's unsigned conversion gives it (AVX2 has none).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FromUInt32(Vector256<int> value) =>
        Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(Vector256.ShiftRightLogical(value, 8)), Vector256.Create(256f), Vector256.ConvertToSingle(value & Vector256.Create(0xFF)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> AsFloat(Vector256<int> bits) => bits.AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> AsBits(Vector256<float> value) => value.AsInt32();

    // Four eight-entry permutes, chosen between by index bits 3 and 4.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Lookup32(Vector256<int> index, ReadOnlySpan<float> table)
    {
        ref float start = ref MemoryMarshal.GetReference(table);
        Vector256<float> low = SelectWhereBit(index, 3, Permute(Vector256.LoadUnsafe(ref start, 8), index), Permute(Vector256.LoadUnsafe(ref start), index));
        Vector256<float> high = SelectWhereBit(index, 3, Permute(Vector256.LoadUnsafe(ref start, 24), index), Permute(Vector256.LoadUnsafe(ref start, 16), index));
        return SelectWhereBit(index, 4, high, low);
    }

    // values[index & 7] lane by lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Permute(Vector256<float> values, Vector256<int> index) =>
        Avx2.IsSupported ? Avx2.PermuteVar8x32(values, index) : Vector256.Shuffle(values, index & Vector256.Create(7));

    // blendv reads each lane's sign bit, so the chosen bit is shifted there: two instructions.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SelectWhereBit(Vector256<int> bits, [ConstantExpected(Min = 0, Max = 31)] int bit, Vector256<float> whenSet, Vector256<float> otherwise)
    {
        Vector256<int> top = Vector256.ShiftLeft(bits, 31 - bit);
        return Avx.IsSupported
            ? Avx.BlendVariable(otherwise, whenSet, top.AsSingle())
            : Vector256.ConditionalSelect(Vector256.ShiftRightArithmetic(top, 31).AsSingle(), whenSet, otherwise);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write<TWrite>(Vector256<float> samples, ref float destination, ref float companion, nuint index) where TWrite : struct, ISampleWrite =>
        TWrite.Write(samples, ref destination, ref companion, index);
}

/// <summary>Sixteen lanes (AVX-512).</summary>
internal readonly struct Lanes512 : IVectorLanes<Vector512<float>, Vector512<int>>
{
    /// <summary>Whether this CPU runs 16-lane vectors natively, with AVX-512's unsigned conversion.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    public static nuint Count => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> LoadBits(ref uint source, nuint index) => Vector512.LoadUnsafe(ref source, index).AsInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreBits(Vector512<int> value, ref uint destination, nuint index) => value.AsUInt32().StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Float(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Bits(int value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FmaNegated(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAddNegated(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> value) => Vector512.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Add(Vector512<int> a, Vector512<int> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Subtract(Vector512<int> a, Vector512<int> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> And(Vector512<int> a, Vector512<int> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Or(Vector512<int> a, Vector512<int> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Xor(Vector512<int> a, Vector512<int> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> ShiftLeft(Vector512<int> value, [ConstantExpected(Min = 0, Max = 31)] int count) => Vector512.ShiftLeft(value, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> ShiftRightArithmetic(Vector512<int> value, [ConstantExpected(Min = 0, Max = 31)] int count) => Vector512.ShiftRightArithmetic(value, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FromInt32(Vector512<int> value) => Vector512.ConvertToSingle(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FromUInt32(Vector512<int> value) => Avx512F.ConvertToVector512Single(value.AsUInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> AsFloat(Vector512<int> bits) => bits.AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> AsBits(Vector512<float> value) => value.AsInt32();

    // One two-register permute (vpermi2ps) reads 32 entries.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Lookup32(Vector512<int> index, ReadOnlySpan<float> table)
    {
        ref float start = ref MemoryMarshal.GetReference(table);
        return Avx512F.PermuteVar16x32x2(Vector512.LoadUnsafe(ref start), index, Vector512.LoadUnsafe(ref start, 16));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SelectWhereBit(Vector512<int> bits, [ConstantExpected(Min = 0, Max = 31)] int bit, Vector512<float> whenSet, Vector512<float> otherwise)
    {
        Vector512<int> mask = Vector512.Create(1 << bit);
        return Vector512.ConditionalSelect(Vector512.Equals(bits & mask, mask).AsSingle(), whenSet, otherwise);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write<TWrite>(Vector512<float> samples, ref float destination, ref float companion, nuint index) where TWrite : struct, ISampleWrite =>
        TWrite.Write(samples, ref destination, ref companion, index);
}
