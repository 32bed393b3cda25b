using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Randomness;

/// <summary>
/// Writes (or adds) noise into tensors of any floating dtype on any device. Contiguous float32 CPU
/// tensors take the fast path: straight into their memory from the keystream of <see cref="AesCounter"/>,
/// in parallel over fixed-size chunks, element <c>i</c> always from the same keystream words and the
/// same code path, so the output is identical whatever the thread count or chunking. Every other
/// tensor (float64, float16, bfloat16, non-contiguous, CUDA) takes the generic path: libtorch's
/// <c>normal_</c> or <c>uniform_</c> drawing from a generator on the tensor's device seeded from the
/// same <see cref="NoiseKey"/>, so it is deterministic for a given key and device type, with the
/// same distributions but other bits than the fast path.
/// </summary>
/// <remarks>
/// Stream: the AES-128 key is <see cref="NoiseKey.Stream"/> followed by the bytes "NoiseLab"; block b
/// has counter (b, <see cref="NoiseKey.Tensor"/>, low and high words of <see cref="NoiseKey.Draw"/>), and
/// keystream word m is word m mod 4 of block ⌊m/4⌋. Uniform element i comes from word i:
/// u = ((x &gt;&gt; 9) + ½)·2⁻²³ in (0, 1), scaled to ±√3σ. Gaussian elements come in groups of 16 from
/// words 16g…16g+15 by Box–Muller: for k = 0…7, radius r = σ√(−2 ln u) from word 16g+k and angle
/// θ = 2π(x + ½)/2³² from the whole word 16g+8+k give element 16g+k = r cos θ and 16g+8+k = r sin θ,
/// with the polynomial kernels of <see cref="VectorMath"/>.
/// </remarks>
public static class NoiseSampler
{
    /// <summary>Elements per parallel work item; a multiple of the keystream buffer.</summary>
    public const int ChunkElements = 1 << 16;

    /// <summary>
    /// The size from which a tensor draw with <c>maxThreads = 0</c> uses all of TorchSharp's threads; below
    /// it the calling thread draws alone. After each operation libtorch's OpenMP workers keep spinning on
    /// the other cores for a while, so inside a training step extra threads compete with them: on two
    /// cores, right after a matrix product, splitting 0.1M–2M elements measured 1–50 % slower than one
    /// thread and 8M elements about a quarter faster (the benchmarks' <c>contention</c> mode).
    /// </summary>
    public const int ParallelThreshold = 1 << 22;

    /// <summary>Keystream words per pass of the cipher: a multiple of the cipher's and the transform's step.</summary>
    private const int BufferWords = 1024;

    private const int KeystreamStep = 4 * AesCounter.BlocksInFlight;
    private static readonly ulong KeyDomain = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian("NoiseLab"u8);
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

    /// <summary>
    /// Replaces the elements of a floating-point tensor with noise, in place. <paramref name="maxThreads"/>
    /// (fast path only) 0 chooses by size (see <see cref="ParallelThreshold"/>); the bits never depend on it.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor is not of a floating-point dtype.</exception>
    public static void Fill_(Tensor tensor, NoiseDistribution distribution, float sigma, NoiseKey key, int maxThreads = 0)
    {
        Validate(sigma);
        if (sigma == 0)
            tensor?.zero_();
        OnTensor(tensor!, distribution, sigma, key, accumulate: false, maxThreads);
    }

    /// <summary>Adds noise to a floating-point tensor, in place; on the fast path without a temporary tensor.</summary>
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

    /// <summary>
    /// Whether <paramref name="tensor"/> takes the fast path (contiguous float32 on the CPU, and no
    /// <see cref="ForceGenericPath"/> scope around the call).
    /// </summary>
    public static bool UsesFastPath(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return !s_forceGeneric.Value && tensor.dtype == ScalarType.Float32 && tensor.device_type == DeviceType.CPU && tensor.is_contiguous();
    }

    /// <summary>
    /// Until disposed, every tensor draw on this logical thread takes the generic path, as a float64
    /// or CUDA tensor would: for testing that path on float32 CPU tensors.
    /// </summary>
    public static IDisposable ForceGenericPath() => new GenericPathScope();

    private static readonly AsyncLocal<bool> s_forceGeneric = new();

    private sealed class GenericPathScope : IDisposable
    {
        private readonly bool _previous = s_forceGeneric.Value;

        public GenericPathScope() => s_forceGeneric.Value = true;

        public void Dispose() => s_forceGeneric.Value = _previous;
    }

    private static unsafe void OnTensor(Tensor tensor, NoiseDistribution distribution, float sigma, NoiseKey key, bool accumulate, int maxThreads)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!tensor.is_floating_point())
            throw new ArgumentException($"Noise goes into floating-point tensors, but this one is {tensor.dtype}; for token ids, put the noise on their embeddings (EmbeddingNoise).", nameof(tensor));
        if (sigma == 0)
            return;
        if (!UsesFastPath(tensor))
        {
            GenericPath.Draw(tensor, distribution, sigma, key, accumulate);
            return;
        }
        Span<float> data = MemoryMarshal.Cast<byte, float>(tensor.bytes);
        if (maxThreads <= 0)
            maxThreads = data.Length < ParallelThreshold ? 1 : torch.get_num_threads();
        Run(data, distribution, sigma, key, accumulate, maxThreads);
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

        var draw = new Draw(RoundKeysOf(key.Stream), key, distribution, sigma, accumulate);
        int chunks = (destination.Length + ChunkElements - 1) / ChunkElements;
        fixed (float* start = destination)
        {
            nint address = (nint)start;
            int length = destination.Length;
            if (chunks <= 1 || maxThreads <= 1)
            {
                SampleRange(new Span<float>(start, length), 0, draw);
                return;
            }
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = maxThreads }, chunk =>
            {
                int offset = chunk * ChunkElements;
                int count = Math.Min(ChunkElements, length - offset);
                SampleRange(new Span<float>((float*)address + offset, count), offset, draw);
            });
        }
    }

    /// <summary>Everything a chunk needs to draw its part of one key's stream.</summary>
    private sealed class Draw(AesCounter.RoundKeys keys, NoiseKey key, NoiseDistribution distribution, float sigma, bool accumulate)
    {
        private readonly AesCounter.RoundKeys _keys = keys;

        public ref readonly AesCounter.RoundKeys Keys => ref _keys;

        public NoiseKey Key { get; } = key;

        public NoiseDistribution Distribution { get; } = distribution;

        public float Sigma { get; } = sigma;

        public bool Accumulate { get; } = accumulate;
    }

    // The last stream's expanded key, per thread: injectors draw many tensors from one stream.
    [ThreadStatic] private static (ulong Stream, AesCounter.RoundKeys Keys)? t_lastKeys;

    private static AesCounter.RoundKeys RoundKeysOf(ulong stream)
    {
        if (t_lastKeys is { } cached && cached.Stream == stream)
            return cached.Keys;
        AesCounter.RoundKeys keys = AesCounter.Expand(stream, KeyDomain);
        t_lastKeys = (stream, keys);
        return keys;
    }

    /// <summary>
    /// Samples elements [first, first + span.Length) of the stream into <paramref name="span"/>; first is
    /// a multiple of <see cref="BufferWords"/>. The keystream goes through a small buffer that stays in
    /// the L1 cache, so the cipher and the transform each run as a tight loop of their own.
    /// </summary>
    private static void SampleRange(Span<float> span, int first, Draw draw)
    {
        Span<uint> words = stackalloc uint[BufferWords];
        Span<float> tail = stackalloc float[BufferWords];
        float sigma = draw.Sigma;
        uint tensor = draw.Key.Tensor, drawLow = (uint)draw.Key.Draw, drawHigh = (uint)(draw.Key.Draw >> 32);
        for (int offset = 0; offset < span.Length; offset += BufferWords)
        {
            int count = Math.Min(BufferWords, span.Length - offset);
            int rounded = (count + KeystreamStep - 1) / KeystreamStep * KeystreamStep;
            Span<uint> used = words[..rounded];
            AesCounter.Keystream(in draw.Keys, (uint)((first + offset) / 4), tensor, drawLow, drawHigh, used);
            Span<float> target = span.Slice(offset, count);
            if (count == rounded)
            {
                Transform(used, target, draw.Distribution, sigma, draw.Accumulate);
                continue;
            }
            // The stream's last, partial group: draw it whole, keep what fits.
            Span<float> whole = tail[..rounded];
            Transform(used, whole, draw.Distribution, sigma, accumulate: false);
            for (int i = 0; i < count; i++)
                target[i] = draw.Accumulate ? target[i] + whole[i] : whole[i];
        }
    }

    /// <summary>Turns keystream words into samples, 16 at a time; the lengths are equal multiples of 16.</summary>
    private static void Transform(Span<uint> words, Span<float> target, NoiseDistribution distribution, float sigma, bool accumulate)
    {
        if (distribution == NoiseDistribution.Gaussian)
        {
            if (accumulate)
                GaussianLoop<Adding>(words, target, sigma);
            else
                GaussianLoop<Storing>(words, target, sigma);
        }
        else if (accumulate)
        {
            UniformLoop<Adding>(words, target, sigma);
        }
        else
        {
            UniformLoop<Storing>(words, target, sigma);
        }
    }

    private static void GaussianLoop<TWrite>(Span<uint> words, Span<float> target, float sigma)
        where TWrite : struct, IWrite
    {
        ref uint source = ref MemoryMarshal.GetReference(words);
        ref float destination = ref MemoryMarshal.GetReference(target);
        Vector256<float> scale = Vector256.Create(sigma);
        // Two short loops instead of one long one: the radii first, written over their own words,
        // then the angles. Each body is a shorter dependency chain, so more iterations overlap.
        for (nuint i = 0; i < (nuint)words.Length; i += 16)
        {
            Vector256<float> radius = Vector256.Sqrt(Vector256.Create(-2f) * VectorMath.LogPositive(UnitOpen(Vector256.LoadUnsafe(ref source, i)))) * scale;
            radius.AsUInt32().StoreUnsafe(ref source, i);
        }
        for (nuint i = 0; i < (nuint)words.Length; i += 16)
        {
            Vector256<float> radius = Vector256.LoadUnsafe(ref source, i).AsSingle();
            var (sin, cos) = VectorMath.SinCosOfTurnWord(Vector256.LoadUnsafe(ref source, i + 8));
            TWrite.Write(radius * cos, ref destination, i);
            TWrite.Write(radius * sin, ref destination, i + 8);
        }
    }

    private static void UniformLoop<TWrite>(ReadOnlySpan<uint> words, Span<float> target, float sigma)
        where TWrite : struct, IWrite
    {
        ref uint source = ref MemoryMarshal.GetReference(words);
        ref float destination = ref MemoryMarshal.GetReference(target);
        float halfWidth = sigma * s_sqrt3;
        Vector256<float> scale = Vector256.Create(2 * halfWidth), shift = Vector256.Create(-halfWidth);
        for (nuint i = 0; i < (nuint)words.Length; i += 8)
            TWrite.Write(Vector256.FusedMultiplyAdd(UnitOpen(Vector256.LoadUnsafe(ref source, i)), scale, shift), ref destination, i);
    }

    /// <summary>How a sample reaches its element: replacing it or adding to it (a type argument, so each loop is compiled without the branch).</summary>
    private interface IWrite
    {
        static abstract void Write(Vector256<float> samples, ref float destination, nuint index);
    }

    private readonly struct Storing : IWrite
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Write(Vector256<float> samples, ref float destination, nuint index) => samples.StoreUnsafe(ref destination, index);
    }

    private readonly struct Adding : IWrite
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Write(Vector256<float> samples, ref float destination, nuint index) =>
            (Vector256.LoadUnsafe(ref destination, index) + samples).StoreUnsafe(ref destination, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> UnitOpen(Vector256<uint> word) =>
        Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(Vector256.ShiftRightLogical(word, 9).AsInt32()), Vector256.Create(TwoToMinus23), Vector256.Create(TwoToMinus23 / 2));
}
