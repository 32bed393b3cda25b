using NoiseLab.Interop;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Randomness;

/// <summary>
/// Writes (or adds) noise into tensors of any floating dtype on any device. Contiguous float32 CPU
/// tensors take the fast path: straight into their memory from the keystream of the current
/// <see cref="NoiseGenerator"/>, in parallel over fixed-size chunks, element <c>i</c> always from the same
/// keystream words and the same arithmetic, so the output is identical whatever the thread count,
/// chunking or vector width. Every other tensor (float64, float16, bfloat16, non-contiguous, CUDA) takes
/// the generic path: libtorch's <c>normal_</c> or <c>uniform_</c> drawing from a generator on the tensor's
/// device seeded from the same <see cref="NoiseKey"/>, so it is deterministic for a given key and device
/// type, with the same distributions but other bits than the fast path.
/// </summary>
/// <remarks>
/// Stream: the keystream's 128-bit key is <see cref="NoiseKey.Stream"/> followed by the bytes "NoiseLab";
/// block b has counter (b, <see cref="NoiseKey.Tensor"/>, low and high words of <see cref="NoiseKey.Draw"/>),
/// and keystream word m is word m mod 4 of block ⌊m/4⌋. Uniform element i comes from word i:
/// u = ((x &gt;&gt; 9) + ½)·2⁻²³ in (0, 1), scaled to ±√3σ. Gaussian elements come from words by the
/// generator's Box–Muller layout: <c>aes128-boxmuller-v1</c> in groups of 16 (<see cref="AesBoxMullerKernel"/>),
/// <c>ars7-boxmuller-v2</c> in groups of 32 (<see cref="ArsBoxMullerKernel"/>).
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

    /// <summary>Keystream words per pass of the cipher: a multiple of the cipher's and the transforms' step.</summary>
    private const int BufferWords = 1024;

    private const int KeystreamStep = 4 * RoundKeystream.BlocksInFlight;

    /// <summary>The second half of every stream's key: the bytes "NoiseLab".</summary>
    internal static readonly ulong KeyDomain = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian("NoiseLab"u8);
    private const float TwoToMinus23 = 1.0f / (1 << 23);
    private static readonly float s_sqrt3 = MathF.Sqrt(3f);

    /// <summary>Replaces <paramref name="destination"/> with noise of standard deviation <paramref name="sigma"/>.</summary>
    public static void Fill(Span<float> destination, NoiseDistribution distribution, float sigma, NoiseKey key, int maxThreads = 1)
    {
        Validate(sigma);
        Run<Storing>(destination, default, distribution, sigma, key, maxThreads);
    }

    /// <summary>Adds noise of standard deviation <paramref name="sigma"/> to <paramref name="destination"/>.</summary>
    public static void Add(Span<float> destination, NoiseDistribution distribution, float sigma, NoiseKey key, int maxThreads = 1)
    {
        Validate(sigma);
        Run<Adding>(destination, default, distribution, sigma, key, maxThreads);
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
        OnTensor<Storing>(tensor!, null, distribution, sigma, key, maxThreads);
    }

    /// <summary>Adds noise to a floating-point tensor, in place; on the fast path without a temporary tensor.</summary>
    public static void Add_(Tensor tensor, NoiseDistribution distribution, float sigma, NoiseKey key, int maxThreads = 0)
    {
        Validate(sigma);
        OnTensor<Adding>(tensor, null, distribution, sigma, key, maxThreads);
    }

    /// <summary>
    /// Copies <paramref name="tensor"/> into <paramref name="saved"/> and adds noise to it, in one pass over
    /// both: exactly <c>saved.copy_(tensor)</c> then <see cref="Add_"/> (perturbed gradient descent's save and
    /// perturb). Tensors off the fast path take those two steps.
    /// </summary>
    /// <exception cref="ArgumentException">The tensors differ in shape or dtype.</exception>
    public static void SaveAndAdd_(Tensor tensor, Tensor saved, NoiseDistribution distribution, float sigma, NoiseKey key, int maxThreads = 0)
    {
        Validate(sigma);
        OnTensor<SavingThenAdding>(tensor, saved ?? throw new ArgumentNullException(nameof(saved)), distribution, sigma, key, maxThreads);
    }

    /// <summary>
    /// Draws noise ξ into <paramref name="kept"/> and adds it to <paramref name="tensor"/>, in one pass: exactly
    /// <see cref="Fill_"/> of <paramref name="kept"/> then <c>tensor.add_(kept)</c> (Anti-PGD's first draw).
    /// </summary>
    /// <exception cref="ArgumentException">The tensors differ in shape or dtype.</exception>
    public static void AddKeeping_(Tensor tensor, Tensor kept, NoiseDistribution distribution, float sigma, NoiseKey key, int maxThreads = 0)
    {
        Validate(sigma);
        OnTensor<KeepingThenAdding>(tensor, kept ?? throw new ArgumentNullException(nameof(kept)), distribution, sigma, key, maxThreads);
    }

    /// <summary>
    /// Replaces the noise <paramref name="kept"/> holds, which was added to <paramref name="tensor"/>, by a new
    /// draw, in one pass: tensor ← (tensor − kept) + ξ and kept ← ξ, exactly <c>tensor.sub_(kept)</c>,
    /// <see cref="Fill_"/> of <paramref name="kept"/> and <c>tensor.add_(kept)</c> (Anti-PGD's step).
    /// </summary>
    /// <exception cref="ArgumentException">The tensors differ in shape or dtype.</exception>
    public static void Exchange_(Tensor tensor, Tensor kept, NoiseDistribution distribution, float sigma, NoiseKey key, int maxThreads = 0)
    {
        Validate(sigma);
        OnTensor<Exchanging>(tensor, kept ?? throw new ArgumentNullException(nameof(kept)), distribution, sigma, key, maxThreads);
    }

    /// <summary>
    /// Subtracts exactly the noise that <see cref="Add_"/> with the same arguments adds: each value is
    /// the bitwise negation of the added one, so a perturbation can be undone from its key alone
    /// (up to the rounding of the two additions).
    /// </summary>
    public static void Subtract_(Tensor tensor, NoiseDistribution distribution, float sigma, NoiseKey key, int maxThreads = 0)
    {
        Validate(sigma);
        OnTensor<Adding>(tensor, null, distribution, -sigma, key, maxThreads);
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

    private static unsafe void OnTensor<TWrite>(Tensor tensor, Tensor? companion, NoiseDistribution distribution, float sigma, NoiseKey key, int maxThreads)
        where TWrite : struct, ISampleWrite
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!tensor.is_floating_point())
            throw new ArgumentException($"Noise goes into floating-point tensors, but this one is {tensor.dtype}; for token ids, put the noise on their embeddings (EmbeddingNoise).", nameof(tensor));
        if (companion is not null && (companion.dtype != tensor.dtype || !companion.shape.SequenceEqual(tensor.shape)))
            throw new ArgumentException($"The companion tensor must have the tensor's shape and dtype, [{string.Join(", ", tensor.shape)}] {tensor.dtype}; it is [{string.Join(", ", companion.shape)}] {companion.dtype}.", nameof(companion));
        if (sigma == 0)
        {
            // No noise: the fused forms still do their copy (ξ = 0).
            if (TWrite.UsesCompanion)
                WithoutNoise<TWrite>(tensor, companion!);
            return;
        }
        if (!UsesFastPath(tensor) || (companion is not null && !UsesFastPath(companion)))
        {
            Unfused<TWrite>(tensor, companion, distribution, sigma, key);
            return;
        }
        Span<float> data = MemoryMarshal.Cast<byte, float>(tensor.bytes);
        Span<float> second = companion is null ? default : MemoryMarshal.Cast<byte, float>(companion.bytes);
        if (maxThreads <= 0)
            maxThreads = data.Length < ParallelThreshold ? 1 : torch.get_num_threads();
        Run<TWrite>(data, second, distribution, sigma, key, maxThreads);
    }

    // The fused forms as the separate operations they stand for, each draw on its own tensor's path, for
    // tensors the kernels cannot write.
    private static void Unfused<TWrite>(Tensor tensor, Tensor? companion, NoiseDistribution distribution, float sigma, NoiseKey key)
        where TWrite : struct, ISampleWrite
    {
        if (!TWrite.UsesCompanion)
        {
            GenericPath.Draw(tensor, distribution, sigma, key, accumulate: typeof(TWrite) != typeof(Storing));
            return;
        }
        using var noGrad = no_grad();
        if (typeof(TWrite) == typeof(SavingThenAdding))
        {
            companion!.copy_(tensor);
            OnTensor<Adding>(tensor, null, distribution, sigma, key, maxThreads: 0);
            return;
        }
        if (typeof(TWrite) == typeof(Exchanging))
            tensor.sub_(companion!);
        OnTensor<Storing>(companion!, null, distribution, sigma, key, maxThreads: 0);
        tensor.add_(companion!, ScalarConstants.One);
    }

    private static void WithoutNoise<TWrite>(Tensor tensor, Tensor companion)
        where TWrite : struct, ISampleWrite
    {
        using var noGrad = no_grad();
        if (typeof(TWrite) == typeof(SavingThenAdding))
        {
            companion.copy_(tensor);
            return;
        }
        if (typeof(TWrite) == typeof(Exchanging))
            tensor.sub_(companion);
        companion.zero_();
    }

    /// <summary>The size from which a fill streams its stores past the caches (2²¹ floats, 8 MB: more than a core's L2).</summary>
    internal static int StreamingThreshold { get; set; } = 1 << 21;

    private static unsafe bool PastCache(Span<float> data) =>
        data.Length >= StreamingThreshold && ((nuint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(data)) & 63) == 0;

    private static void Validate(float sigma)
    {
        if (!(sigma >= 0) || !float.IsFinite(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Sigma must be a finite number >= 0.");
    }

    // A negative sigma (from Subtract_ only) yields the exact negation of the positive draw.
    private static unsafe void Run<TWrite>(Span<float> destination, Span<float> companion, NoiseDistribution distribution, float sigma, NoiseKey key, int maxThreads)
        where TWrite : struct, ISampleWrite
    {
        if ((ulong)destination.Length > (ulong)uint.MaxValue * 4)
            throw new ArgumentException("NoiseSampler draws at most 2^34 elements per key.", nameof(destination));
        if (TWrite.UsesCompanion && companion.Length != destination.Length)
            throw new ArgumentException("The companion span must be as long as the destination.", nameof(companion));
        if (typeof(TWrite) == typeof(Storing) && PastCache(destination))
        {
            Run<StoringPastCache>(destination, default, distribution, sigma, key, maxThreads);
            return;
        }

        NoiseGenerator generator = NoiseGenerator.Current;
        var draw = new Draw(generator, RoundKeysOf(generator, key.Stream), key, distribution, sigma);
        int chunks = (destination.Length + ChunkElements - 1) / ChunkElements;
        fixed (float* start = destination, second = companion)
        {
            nint address = (nint)start, companionAddress = (nint)second;
            int length = destination.Length;
            bool paired = TWrite.UsesCompanion;
            if (chunks <= 1 || maxThreads <= 1)
            {
                SampleRange<TWrite>(new Span<float>(start, length), paired ? new Span<float>(second, length) : default, 0, draw);
                return;
            }
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = maxThreads }, chunk =>
            {
                int offset = chunk * ChunkElements;
                int count = Math.Min(ChunkElements, length - offset);
                SampleRange<TWrite>(new Span<float>((float*)address + offset, count), paired ? new Span<float>((float*)companionAddress + offset, count) : default, offset, draw);
            });
        }
    }

    /// <summary>Everything a chunk needs to draw its part of one key's stream.</summary>
    private sealed record Draw(NoiseGenerator Generator, Vector128<byte>[] RoundKeys, NoiseKey Key, NoiseDistribution Distribution, float Sigma);

    // The last stream's round keys, per thread: injectors draw many tensors from one stream.
    [ThreadStatic] private static (NoiseGenerator Generator, ulong Stream, Vector128<byte>[] Keys)? t_lastKeys;

    private static Vector128<byte>[] RoundKeysOf(NoiseGenerator generator, ulong stream)
    {
        if (t_lastKeys is { } cached && cached.Stream == stream && cached.Generator == generator)
            return cached.Keys;
        Vector128<byte>[] keys = generator.Kernel == NoiseGenerator.SampleKernelKind.ArsBoxMuller
            ? ArsBoxMullerKernel.RoundKeys(stream)
            : AesBoxMullerKernel.RoundKeys(stream);
        t_lastKeys = (generator, stream, keys);
        return keys;
    }

    private static void SampleRange<TWrite>(Span<float> span, Span<float> companion, int first, Draw draw)
        where TWrite : struct, ISampleWrite
    {
        if (draw.Generator.Kernel == NoiseGenerator.SampleKernelKind.ArsBoxMuller)
            SampleRange<ArsBoxMullerKernel, TWrite>(span, companion, first, draw);
        else
            SampleRange<AesBoxMullerKernel, TWrite>(span, companion, first, draw);
    }

    /// <summary>
    /// Samples elements [first, first + span.Length) of the stream into <paramref name="span"/>; first is
    /// a multiple of <see cref="BufferWords"/>. The keystream goes through a small buffer that stays in
    /// the L1 cache, so the cipher and the transform each run as a tight loop of their own.
    /// </summary>
    private static void SampleRange<TKernel, TWrite>(Span<float> span, Span<float> companion, int first, Draw draw)
        where TKernel : struct, ISampleKernel
        where TWrite : struct, ISampleWrite
    {
        // 64-byte aligned, so that no 16-lane load of the keystream straddles two cache lines.
        Span<uint> words = Aligned(stackalloc uint[BufferWords + 16]);
        Span<float> tail = stackalloc float[BufferWords];
        float sigma = draw.Sigma;
        for (int offset = 0; offset < span.Length; offset += BufferWords)
        {
            int count = Math.Min(BufferWords, span.Length - offset);
            int rounded = (count + KeystreamStep - 1) / KeystreamStep * KeystreamStep;
            Span<uint> used = words[..rounded];
            TKernel.Keystream(draw.RoundKeys, (uint)((first + offset) / 4), draw.Key, used);
            Span<float> target = span.Slice(offset, count);
            Span<float> second = TWrite.UsesCompanion ? companion.Slice(offset, count) : default;
            if (count == rounded)
            {
                Transform<TKernel, TWrite>(used, target, second, draw.Distribution, sigma);
                continue;
            }
            // The stream's last, partial group: draw it whole, keep what fits.
            Span<float> whole = tail[..rounded];
            Transform<TKernel, Storing>(used, whole, default, draw.Distribution, sigma);
            ref float secondStart = ref MemoryMarshal.GetReference(second);
            for (int i = 0; i < count; i++)
                TWrite.Write(whole[i], ref target[i], ref Unsafe.Add(ref secondStart, i));
        }
        // Streaming stores are weakly ordered: fenced before the chunk counts as written.
        if (typeof(TWrite) == typeof(StoringPastCache) && System.Runtime.Intrinsics.X86.Sse.IsSupported)
            System.Runtime.Intrinsics.X86.Sse.StoreFence();
    }

    private static unsafe Span<uint> Aligned(Span<uint> buffer)
    {
        int skip = (int)((64 - ((nuint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(buffer)) & 63)) & 63) / sizeof(uint);
        return buffer.Slice(skip, BufferWords);
    }

    /// <summary>Turns keystream words into samples; the lengths are equal multiples of 32.</summary>
    private static void Transform<TKernel, TWrite>(Span<uint> words, Span<float> target, Span<float> companion, NoiseDistribution distribution, float sigma)
        where TKernel : struct, ISampleKernel
        where TWrite : struct, ISampleWrite
    {
        if (distribution == NoiseDistribution.Gaussian)
            TKernel.Gaussian<TWrite>(words, target, companion, sigma);
        else
            UniformLoop<TWrite>(words, target, companion, sigma);
    }

    private static void UniformLoop<TWrite>(ReadOnlySpan<uint> words, Span<float> target, Span<float> companion, float sigma)
        where TWrite : struct, ISampleWrite
    {
        ref uint source = ref MemoryMarshal.GetReference(words);
        ref float destination = ref MemoryMarshal.GetReference(target);
        ref float second = ref MemoryMarshal.GetReference(companion);
        float halfWidth = sigma * s_sqrt3;
        Vector256<float> scale = Vector256.Create(2 * halfWidth), shift = Vector256.Create(-halfWidth);
        for (nuint i = 0; i < (nuint)words.Length; i += 8)
            TWrite.Write(Vector256.FusedMultiplyAdd(UnitOpen(Vector256.LoadUnsafe(ref source, i)), scale, shift), ref destination, ref second, i);
    }

    /// <summary>((x &gt;&gt; 9) + ½)·2⁻²³: a word's top 23 bits as a uniform number in (0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> UnitOpen(Vector256<uint> word) =>
        Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(Vector256.ShiftRightLogical(word, 9).AsInt32()), Vector256.Create(TwoToMinus23), Vector256.Create(TwoToMinus23 / 2));
}
