namespace NoiseLab.Randomness;

/// <summary>
/// A named, versioned definition of the fast path's bits: which keystream turns a <see cref="NoiseKey"/>
/// into words and how words become Gaussian and uniform samples. The same key gives the same bits under
/// the same generator on every machine and thread count; another generator gives other bits. Runs,
/// checkpoints and stores record the generator they were drawn with, so that an old run can be replayed
/// with its own generator after the default has moved on. (The generic path for float64, half precision
/// and CUDA tensors is libtorch's and does not depend on it.)
/// </summary>
public sealed class NoiseGenerator
{
    private static readonly AsyncLocal<NoiseGenerator?> s_current = new();

    private NoiseGenerator(string name, string description, SampleKernelKind kernel)
    {
        Name = name;
        Description = description;
        Kernel = kernel;
    }

    /// <summary>The sampler's kernel for this generator.</summary>
    internal SampleKernelKind Kernel { get; }

    /// <summary>The generator's name, as the CLI, specs, stores and checkpoints write it, e.g. <c>aes128-boxmuller-v1</c>.</summary>
    public string Name { get; }

    /// <summary>What the generator computes, in a line.</summary>
    public string Description { get; }

    /// <summary>
    /// The first versioned generator: AES-128 in counter mode, Box–Muller over groups of 16 words with
    /// quadrant-reduced sine and cosine (<see cref="NoiseSampler"/> documents the layout). Runs, stores and
    /// checkpoints from before generators were versioned were drawn with it.
    /// </summary>
    public static NoiseGenerator Aes128BoxMullerV1 { get; } = new("aes128-boxmuller-v1",
        "AES-128 counter keystream; Box–Muller on groups of 16 words (radius words 0-7, angle words 8-15)", SampleKernelKind.AesBoxMuller);

    /// <summary>
    /// Random123's ARS with 7 rounds in counter mode (about 30 % cheaper than AES-128 on the same
    /// instructions) and a slimmer Box–Muller on groups of 32 words, 16 lanes wide where the CPU has AVX-512
    /// (<see cref="NoiseSampler"/> documents the layout).
    /// </summary>
    public static NoiseGenerator Ars7BoxMullerV2 { get; } = new("ars7-boxmuller-v2",
        "ARS-7 counter keystream (Random123); Box-Muller on groups of 32 words (radius words 0-15, angle words 16-31)", SampleKernelKind.ArsBoxMuller);

    /// <summary>
    /// What a draw uses when no <see cref="Use"/> scope names another: <see cref="Ars7BoxMullerV2"/>, about 1.7 times
    /// as fast as <see cref="Aes128BoxMullerV1"/> on AVX-512 (docs/performance.md). Runs drawn with v1 replay with it selected.
    /// </summary>
    public static NoiseGenerator Default => Ars7BoxMullerV2;

    /// <summary>
    /// The instructions this process computes keystreams with, which change the speed and never the bits:
    /// <c>vaes</c> (x86-64 with VAES and AVX-512, four blocks per instruction), <c>aes-ni</c>, <c>armv8-aes</c>
    /// or <c>software</c> (a portable cipher, for CPUs without AES instructions).
    /// </summary>
    public static string KeystreamInstructions => RoundKeystream.Instructions;

    /// <summary>Every generator this NoiseLab can draw with, oldest first.</summary>
    public static IReadOnlyList<NoiseGenerator> All { get; } = [Aes128BoxMullerV1, Ars7BoxMullerV2];

    /// <summary>The generator draws on this logical thread use: the innermost <see cref="Use"/> scope's, or <see cref="Default"/>.</summary>
    public static NoiseGenerator Current => s_current.Value ?? Default;

    /// <summary>
    /// Until disposed, every fast-path draw on this logical thread (and the tasks it starts) uses
    /// <paramref name="generator"/>. <see cref="Training.Trainer"/> wraps its runs in this scope with
    /// <see cref="Training.TrainerOptions.NoiseGenerator"/>; a training loop of your own can do the same.
    /// </summary>
    public static IDisposable Use(NoiseGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return new Scope(generator);
    }

    /// <summary>The generator called <paramref name="name"/>, or false when there is none.</summary>
    public static bool TryFind(string? name, out NoiseGenerator generator)
    {
        generator = All.FirstOrDefault(g => string.Equals(g.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))!;
        return generator is not null;
    }

    /// <summary>The generator called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No generator has that name; the message lists those there are.</exception>
    public static NoiseGenerator Find(string name) =>
        TryFind(name, out NoiseGenerator generator) ? generator
            : throw new ArgumentException($"There is no noise generator '{name}'; the generators are {KnownNames}.", nameof(name));

    /// <summary>The generators' names, for messages: "a, b (default)".</summary>
    public static string KnownNames => string.Join(", ", All.Select(g => g == Default ? g.Name + " (the default)" : g.Name));

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>The sampler kernels behind the generators.</summary>
    internal enum SampleKernelKind
    {
        AesBoxMuller,
        ArsBoxMuller,
    }

    private sealed class Scope : IDisposable
    {
        private readonly NoiseGenerator? _previous = s_current.Value;
        private bool _disposed;

        public Scope(NoiseGenerator generator) => s_current.Value = generator;

        public void Dispose()
        {
            if (_disposed)
                return;
            s_current.Value = _previous;
            _disposed = true;
        }
    }
}
