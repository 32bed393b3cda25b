namespace NoiseLab.Noise;

/// <summary>
/// What an injector must carry across a checkpoint to continue its random stream exactly.
/// Schedules are pure functions of step and epoch, and most injectors key their draws by the step,
/// so for them the state is empty; hook-based injectors count their draws; Anti-PGD remembers which
/// ξ is in the weights and at what level.
/// </summary>
/// <param name="Draws">Draws taken so far (hook-based injectors).</param>
/// <param name="PreviousDraw">Anti-PGD: the draw whose ξ is in the weights, −1 for none.</param>
/// <param name="PreviousSigmas">Anti-PGD: the level each tensor's ξ was drawn at.</param>
public sealed record NoiseInjectorState(long Draws = 0, long PreviousDraw = -1, IReadOnlyList<float>? PreviousSigmas = null)
{
    /// <summary>The state of an injector that needs none.</summary>
    public static NoiseInjectorState Empty { get; } = new();

    /// <summary>Writes the state, for a checkpoint of your own.</summary>
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Draws);
        writer.Write(PreviousDraw);
        IReadOnlyList<float> sigmas = PreviousSigmas ?? [];
        writer.Write(sigmas.Count);
        foreach (float sigma in sigmas)
            writer.Write(sigma);
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The stream claims more levels than it holds.</exception>
    public static NoiseInjectorState Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long draws = reader.ReadInt64();
        long previousDraw = reader.ReadInt64();
        int count = reader.ReadInt32();
        if (count < 0 || count > (reader.BaseStream.Length - reader.BaseStream.Position) / sizeof(float))
            throw new InvalidDataException($"The saved noise state claims {count} levels, more than it holds.");
        var sigmas = new float[count];
        for (int i = 0; i < count; i++)
            sigmas[i] = reader.ReadSingle();
        return new NoiseInjectorState(draws, previousDraw, sigmas);
    }
}
