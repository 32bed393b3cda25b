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
}
