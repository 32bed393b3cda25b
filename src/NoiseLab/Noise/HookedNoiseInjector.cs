using NoiseLab.Training;

namespace NoiseLab.Noise;

/// <summary>
/// Base of the Trainer's injectors that act inside the model's forward pass through a <see cref="NoiseHook"/>
/// (activations, embeddings). The hook is live as soon as it is attached; the injector only keys it from the
/// run seed at train start and advances its step at each step start, reporting the level into the history.
/// </summary>
public abstract class HookedNoiseInjector : NoiseInjector, IDisposable
{
    private Action<NoiseDraw>? _record;

    /// <summary>Wraps <paramref name="hook"/>, which the injector owns from now on.</summary>
    protected HookedNoiseInjector(string name, NoiseHook hook) : base(name, hook?.Settings!)
    {
        ArgumentNullException.ThrowIfNull(hook);
        Hook = hook;
    }

    /// <summary>The hook doing the work; usable on its own outside the Trainer.</summary>
    public NoiseHook Hook { get; }

    /// <summary>Training-mode hook calls that drew noise so far (part of each draw's key). Save it to resume the stream.</summary>
    public long Draws
    {
        get => Hook.Draws;
        set => Hook.Draws = value;
    }

    /// <inheritdoc />
    public override NoiseInjectorState CaptureState() => new(Draws: Draws);

    /// <inheritdoc />
    public override void RestoreState(NoiseInjectorState state)
    {
        base.RestoreState(state);
        Draws = state.Draws;
    }

    /// <inheritdoc />
    public override void OnTrainStart(TrainingContext context)
    {
        base.OnTrainStart(context);
        Hook.Key = Key;
    }

    /// <inheritdoc />
    public override void OnStepStart(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Hook.Step = context.Step;
        Hook.Epoch = context.Epoch - 1;
        BeginStep(context);
        Hook.Drawn = RecordDraws ? _record ??= RecordDraw : null;
    }

    /// <summary>Removes the hooks.</summary>
    public void Dispose()
    {
        Hook.Dispose();
        GC.SuppressFinalize(this);
    }
}
