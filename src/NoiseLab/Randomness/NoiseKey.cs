namespace NoiseLab.Randomness;

/// <summary>
/// Names one draw of noise: which stream (run seed and injector, hashed into the generator's key),
/// which tensor of that injector, and which draw (usually the optimizer step). Equal keys give
/// equal samples, bit for bit, so a perturbation can be regenerated instead of stored.
/// </summary>
/// <param name="Stream">The stream's 64-bit key, e.g. <c>SeedDerivation.Derive(seed, "noise/input")</c>.</param>
/// <param name="Tensor">Which tensor of the injector (e.g. the parameter's index).</param>
/// <param name="Draw">Which draw: the step, or a running count of draws.</param>
public readonly record struct NoiseKey(ulong Stream, uint Tensor, ulong Draw)
{
    /// <summary>The key of a stream derived from <paramref name="runSeed"/> and a name, for tensor 0 and draw 0.</summary>
    public static NoiseKey For(long runSeed, string streamName) => new(SeedDerivation.Derive(runSeed, streamName), 0, 0);

    /// <summary>
    /// The key of the injector called <paramref name="injectorName"/> in a run seeded with <paramref name="runSeed"/>:
    /// NoiseLab's Trainer keys each injector this way, so a loop of your own that uses the same keys draws the same bits.
    /// </summary>
    public static NoiseKey ForInjector(long runSeed, string injectorName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(injectorName);
        return For(runSeed, "noise/" + injectorName);
    }

    /// <summary>The same stream and draw for another tensor.</summary>
    public NoiseKey WithTensor(int tensor) => this with { Tensor = (uint)tensor };

    /// <summary>The same stream and tensor at another draw.</summary>
    public NoiseKey WithDraw(long draw) => this with { Draw = (ulong)draw };
}
