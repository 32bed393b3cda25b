using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Randomness;

/// <summary>
/// Writes (or adds) noise straight into float memory from Philox4x32-10, eight blocks per vector
/// step, in parallel over fixed-size chunks. Element <c>i</c> always comes from the same counter
/// and the same code path, so the output is identical whatever the thread count or chunking.
/// </summary>
/// <remarks>
/// Layout: elements are taken in groups of 32. Group g uses blocks 8g…8g+7 (counter word 0 =
/// block index, 1 = <see cref="NoiseKey.Tensor"/>, 2–3 = <see cref="NoiseKey.Draw"/>); element
/// 32g + 8w + j is output word w of block 8g + j. A uniform word x becomes
/// u = ((x &gt;&gt; 9) + 0.5)·2⁻²³ in (0, 1); Gaussian pairs come from words (0, 1) and (2, 3) of a
/// block by Box–Muller: √(−2 ln u₀)·(cos θ, sin θ) with θ = 2π(x₁ + ½)/2³² taken from the whole
/// second word x₁, with the polynomial kernels of <see cref="VectorMath"/>.
/// </remarks>
public static class NoiseSampler
{
    /// <summary>Elements per parallel work item; a multiple of the 32-element group.</summary>
    public const int ChunkElements = 1 << 16;

    private const int Group = 32;
    private const float TwoToMinus23 = 1.0f / (1 << 23);
    private static readonly float s_sqrt3 = MathF.Sqrt(3f);

    /// <summary>Replaces <paramref name="destination"/> with noise of standard deviation <paramref name="sigma"/>.</summary>
    public static void Fill(Span<float> destination, NoiseDistribution distribution, float sigma, NoiseKey key, int maxThreads = 1)
    {
        Validate(sigma);
        Run(destination, distribution, sigma, key, accumulate: false, maxThreads);
    }

    /// <summary>Adds noise of standard deviation <paramref name="sigma"/> to <paramref name="destination"/>.</summary>
    public static void Add(Span<float> destination, NoiseDistribution distribution, float sigma, NoiseKey key, int maxThreads = 1)
    {
        Validate(sigma);
        Run(destination, distribution, sigma, key, accumulate: true, maxThreads);
    }

    /// <summary>Replaces the elements of a contiguous float32 CPU tensor with noise, in place.</summary>
    public static void Fill_(Tensor tensor, NoiseDistribution distribution, float sigma, NoiseKey key, int maxThreads = 0)
    {
        Validate(sigma);
        if (sigma == 0)
            tensor?.zero_();
        OnTensor(tensor!, distribution, sigma, key, accumulate: false, maxThreads);
    }

    /// <summary>Adds noise to a contiguous float32 CPU tensor, in place, without a temporary tensor.</summary>
    public static void Add_(Tensor tensor, NoiseDistribution distribution, float sigma, NoiseKey key, int maxThreads = 0)
    {
        Validate(sigma);
        OnTensor(tensor, distribution, sigma, key, accumulate: true, maxThreads);
    }

    /// <summary>
    /// Subtracts exactly the noise that <see cref="Add_"/> with the same arguments adds: each value is
    /// the bitwise negation of the added one, so a perturbation can be undone from its key alone
    /// (up to the rounding of the two additions).
    /// </summary>
    public static void Subtract_(Tensor tensor, NoiseDistribution distribution, float sigma, NoiseKey key, int maxThreads = 0)
    {
        Validate(sigma);
        OnTensor(tensor, distribution, -sigma, key, accumulate: true, maxThreads);
    }

    private static unsafe void OnTensor(Tensor tensor, NoiseDistribution distribution, float sigma, NoiseKey key, bool accumulate, int maxThreads)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dtype != ScalarType.Float32 || tensor.device_type != DeviceType.CPU || !tensor.is_contiguous())
            throw new ArgumentException($"NoiseSampler writes into contiguous float32 CPU tensors; got {tensor.dtype} on {tensor.device_type}{(tensor.is_contiguous() ? "" : ", not contiguous")}.", nameof(tensor));
        if (sigma == 0)
            return;
        Span<float> data = MemoryMarshal.Cast<byte, float>(tensor.bytes);
        Run(data, distribution, sigma, key, accumulate, maxThreads <= 0 ? torch.get_num_threads() : maxThreads);
    }

    private static void Validate(float sigma)
    {
        if (!(sigma >= 0) || !float.IsFinite(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Sigma must be a finite number >= 0.");
    }

    // A negative sigma (from Subtract_ only) yields the exact negation of the positive draw.
    private static unsafe void Run(Span<float> destination, NoiseDistribution distribution, float sigma, NoiseKey key, bool accumulate, int maxThreads)
    {
        if ((ulong)destination.Length > (ulong)uint.MaxValue * 4)
            throw new ArgumentException("NoiseSampler draws at most 2^34 elements per key.", nameof(destination));

        int chunks = (destination.Length + ChunkElements - 1) / ChunkElements;
        fixed (float* start = destination)
        {
            nint address = (nint)start;
            int length = destination.Length;
            if (chunks <= 1 || maxThreads <= 1)
            {
                SampleRange(new Span<float>(start, length), 0, distribution, sigma, key, accumulate);
                return;
            }
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = maxThreads }, chunk =>
            {
                int offset = chunk * ChunkElements;
                int count = Math.Min(ChunkElements, length - offset);
                SampleRange(new Span<float>((float*)address + offset, count), offset, distribution, sigma, key, accumulate);
            });
        }
    }

    /// <summary>Samples elements [first, first + span.Length) of the stream into <paramref name="span"/>; first is a multiple of 32.</summary>
    private static void SampleRange(Span<float> span, int first, NoiseDistribution distribution, float sigma, NoiseKey key, bool accumulate)
    {
        uint k0 = (uint)key.Stream, k1 = (uint)(key.Stream >> 32);
        Vector256<uint> c1 = Vector256.Create(key.Tensor);
        Vector256<uint> c2 = Vector256.Create((uint)key.Draw), c3 = Vector256.Create((uint)(key.Draw >> 32));
        Vector256<uint> lanes = Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);
        Span<float> tail = stackalloc float[Group];

        int offset = 0;
        Vector256<uint> c0 = Vector256.Create((uint)(first / Group) * 8) + lanes;
        for (; offset + Group <= span.Length; offset += Group, c0 += Vector256.Create(8u))
        {
            var (w0, w1, w2, w3) = Philox4x32.Block8(c0, c1, c2, c3, k0, k1);
            Emit(span.Slice(offset, Group), w0, w1, w2, w3, distribution, sigma, accumulate);
        }
        if (offset < span.Length)
        {
            var (w0, w1, w2, w3) = Philox4x32.Block8(c0, c1, c2, c3, k0, k1);
            Emit(tail, w0, w1, w2, w3, distribution, sigma, accumulate: false);
            Span<float> rest = span[offset..];
            for (int i = 0; i < rest.Length; i++)
                rest[i] = accumulate ? rest[i] + tail[i] : tail[i];
        }
    }

    /// <summary>Turns four words of eight blocks into 32 samples at <paramref name="target"/> (element 8w + j = word w of block j).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Emit(Span<float> target, Vector256<uint> w0, Vector256<uint> w1, Vector256<uint> w2, Vector256<uint> w3,
        NoiseDistribution distribution, float sigma, bool accumulate)
    {
        Vector256<float> v0, v1, v2, v3;
        if (distribution == NoiseDistribution.Gaussian)
        {
            // Kept out of line: inlined into the Philox loop, the transform's many live vectors
            // spilled to the stack and it ran several times slower.
            (v0, v1, v2, v3) = GaussianBlock(w0, w1, w2, w3, sigma);
        }
        else
        {
            float halfWidth = sigma * s_sqrt3;
            Vector256<float> scale = Vector256.Create(2 * halfWidth), shift = Vector256.Create(halfWidth);
            v0 = Vector256.FusedMultiplyAdd(UnitOpen(w0), scale, -shift);
            v1 = Vector256.FusedMultiplyAdd(UnitOpen(w1), scale, -shift);
            v2 = Vector256.FusedMultiplyAdd(UnitOpen(w2), scale, -shift);
            v3 = Vector256.FusedMultiplyAdd(UnitOpen(w3), scale, -shift);
        }
        if (accumulate)
        {
            v0 += Vector256.Create<float>(target[..8]);
            v1 += Vector256.Create<float>(target[8..16]);
            v2 += Vector256.Create<float>(target[16..24]);
            v3 += Vector256.Create<float>(target[24..32]);
        }
        v0.CopyTo(target);
        v1.CopyTo(target[8..]);
        v2.CopyTo(target[16..]);
        v3.CopyTo(target[24..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> UnitOpen(Vector256<uint> word) =>
        Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(Vector256.ShiftRightLogical(word, 9).AsInt32()), Vector256.Create(TwoToMinus23), Vector256.Create(TwoToMinus23 / 2));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>) GaussianBlock(
        Vector256<uint> w0, Vector256<uint> w1, Vector256<uint> w2, Vector256<uint> w3, float sigma)
    {
        var (z0, z1) = BoxMuller(w0, w1, sigma);
        var (z2, z3) = BoxMuller(w2, w3, sigma);
        return (z0, z1, z2, z3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float>, Vector256<float>) BoxMuller(Vector256<uint> radiusWord, Vector256<uint> angleWord, float sigma)
    {
        Vector256<float> radius = Vector256.Sqrt(Vector256.Create(-2f) * VectorMath.LogPositive(UnitOpen(radiusWord))) * Vector256.Create(sigma);
        var (sin, cos) = VectorMath.SinCosOfTurnWord(angleWord);
        return (radius * cos, radius * sin);
    }
}
