using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NoiseLab.Randomness;

/// <summary>
/// How a sample reaches its element (a type argument, so that each kernel loop is compiled without a
/// branch): replacing it, adding to it, or one of the fused forms that also write a companion tensor in
/// the same pass, where an injector would otherwise make a second pass over the same memory. Each fused
/// form gives exactly the bits of the unfused operations it replaces.
/// </summary>
internal interface ISampleWrite
{
    /// <summary>Whether the form writes (and for <see cref="Exchanging"/> reads) the companion tensor.</summary>
    static abstract bool UsesCompanion { get; }

    static abstract void Write(Vector256<float> samples, ref float destination, ref float companion, nuint index);

    static abstract void Write(Vector512<float> samples, ref float destination, ref float companion, nuint index);

    static abstract void Write(float sample, ref float destination, ref float companion);
}

/// <summary>x ← ξ.</summary>
internal readonly struct Storing : ISampleWrite
{
    public static bool UsesCompanion => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Vector256<float> samples, ref float destination, ref float companion, nuint index) => samples.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Vector512<float> samples, ref float destination, ref float companion, nuint index) => samples.StoreUnsafe(ref destination, index);

    public static void Write(float sample, ref float destination, ref float companion) => destination = sample;
}

/// <summary>
/// x ← ξ with streaming (non-temporal) stores, which write memory without reading it first: for draws far
/// larger than the caches, whose first bytes are out of cache before the last are written. The destination
/// must be 64-byte aligned.
/// </summary>
internal readonly struct StoringPastCache : ISampleWrite
{
    public static bool UsesCompanion => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Write(Vector256<float> samples, ref float destination, ref float companion, nuint index) =>
        samples.StoreAlignedNonTemporal((float*)Unsafe.AsPointer(ref Unsafe.Add(ref destination, index)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Write(Vector512<float> samples, ref float destination, ref float companion, nuint index) =>
        samples.StoreAlignedNonTemporal((float*)Unsafe.AsPointer(ref Unsafe.Add(ref destination, index)));

    public static void Write(float sample, ref float destination, ref float companion) => destination = sample;
}

/// <summary>x ← x + ξ.</summary>
internal readonly struct Adding : ISampleWrite
{
    public static bool UsesCompanion => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Vector256<float> samples, ref float destination, ref float companion, nuint index) =>
        (Vector256.LoadUnsafe(ref destination, index) + samples).StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Vector512<float> samples, ref float destination, ref float companion, nuint index) =>
        (Vector512.LoadUnsafe(ref destination, index) + samples).StoreUnsafe(ref destination, index);

    public static void Write(float sample, ref float destination, ref float companion) => destination += sample;
}

/// <summary>c ← x, then x ← x + ξ: perturbed gradient descent's save copy, in the pass that perturbs.</summary>
internal readonly struct SavingThenAdding : ISampleWrite
{
    public static bool UsesCompanion => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Vector256<float> samples, ref float destination, ref float companion, nuint index)
    {
        Vector256<float> value = Vector256.LoadUnsafe(ref destination, index);
        value.StoreUnsafe(ref companion, index);
        (value + samples).StoreUnsafe(ref destination, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Vector512<float> samples, ref float destination, ref float companion, nuint index)
    {
        Vector512<float> value = Vector512.LoadUnsafe(ref destination, index);
        value.StoreUnsafe(ref companion, index);
        (value + samples).StoreUnsafe(ref destination, index);
    }

    public static void Write(float sample, ref float destination, ref float companion)
    {
        companion = destination;
        destination += sample;
    }
}

/// <summary>c ← ξ, then x ← x + ξ: Anti-PGD's first draw, kept for the next step.</summary>
internal readonly struct KeepingThenAdding : ISampleWrite
{
    public static bool UsesCompanion => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Vector256<float> samples, ref float destination, ref float companion, nuint index)
    {
        samples.StoreUnsafe(ref companion, index);
        (Vector256.LoadUnsafe(ref destination, index) + samples).StoreUnsafe(ref destination, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Vector512<float> samples, ref float destination, ref float companion, nuint index)
    {
        samples.StoreUnsafe(ref companion, index);
        (Vector512.LoadUnsafe(ref destination, index) + samples).StoreUnsafe(ref destination, index);
    }

    public static void Write(float sample, ref float destination, ref float companion)
    {
        companion = sample;
        destination += sample;
    }
}

/// <summary>x ← (x − c) + ξ, then c ← ξ: Anti-PGD's step, the kept draw taken out and the new one put in and kept.</summary>
internal readonly struct Exchanging : ISampleWrite
{
    public static bool UsesCompanion => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Vector256<float> samples, ref float destination, ref float companion, nuint index)
    {
        Vector256<float> restored = Vector256.LoadUnsafe(ref destination, index) - Vector256.LoadUnsafe(ref companion, index);
        samples.StoreUnsafe(ref companion, index);
        (restored + samples).StoreUnsafe(ref destination, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(Vector512<float> samples, ref float destination, ref float companion, nuint index)
    {
        Vector512<float> restored = Vector512.LoadUnsafe(ref destination, index) - Vector512.LoadUnsafe(ref companion, index);
        samples.StoreUnsafe(ref companion, index);
        (restored + samples).StoreUnsafe(ref destination, index);
    }

    public static void Write(float sample, ref float destination, ref float companion)
    {
        float restored = destination - companion;
        companion = sample;
        destination = restored + sample;
    }
}
