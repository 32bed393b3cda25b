using NoiseLab.Training;

namespace NoiseLab.Noise;

/// <summary>
/// Base of the injectors that act inside the model's forward pass through hooks (activations,
/// embeddings). The hooks do nothing outside a training run and in eval mode; the level is taken
/// from the schedule at each step start; every perturbing call is one draw of the stream.
/// </summary>
public abstract class HookedNoiseInjector : NoiseInjector, IDisposable
{
    private readonly List<Action> _removeHooks = [];

    /// <summary>Creates the injector; subclasses register their hooks with <see cref="AddHookRemoval"/>.</summary>
    protected HookedNoiseInjector(string name, NoiseSettings settings) : base(name, settings) { }

    /// <summary>Training-mode hook calls that drew noise so far (part of each draw's key). Save it to resume the stream.</summary>
    public long Draws { get; set; }

    /// <summary>Whether the hooks should perturb now: inside a training run, at a level above 0.</summary>
    protected bool Active { get; private set; }

    /// <summary>The level for the current step.</summary>
    protected double CurrentSigma { get; private set; }

    /// <inheritdoc />
    public override NoiseInjectorState CaptureState() => new(Draws: Draws);

    /// <inheritdoc />
    public override void RestoreState(NoiseInjectorState state)
    {
        base.RestoreState(state);
        Draws = state.Draws;
    }

    /// <summary>Remembers how to remove a hook, for <see cref="Dispose"/>.</summary>
    protected void AddHookRemoval(Action remove) => _removeHooks.Add(remove);

    /// <inheritdoc />
    public override void OnTrainStart(TrainingContext context)
    {
        base.OnTrainStart(context);
        Active = true;
    }

    /// <inheritdoc />
    public override void OnStepStart(TrainingContext context) => CurrentSigma = BeginStep(context);

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context) => Active = false;

    /// <summary>Removes the hooks.</summary>
    public void Dispose()
    {
        foreach (Action remove in _removeHooks)
            remove();
        _removeHooks.Clear();
        GC.SuppressFinalize(this);
    }
}
