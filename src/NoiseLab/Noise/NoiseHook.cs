using NoiseLab.Randomness;

namespace NoiseLab.Noise;

/// <summary>
/// Base of the forward hooks that put noise inside a model without editing it (activations,
/// embeddings). A hook is live from the moment it is attached: whenever the hooked module runs in
/// training mode it perturbs, at the level its schedule gives for <see cref="Step"/> and
/// <see cref="Epoch"/>, which the training loop advances; in eval mode it returns the output untouched.
/// Every perturbing call is one draw of the stream. Dispose to remove the hooks.
/// </summary>
public abstract class NoiseHook : IDisposable
{
    private readonly List<Action> _removeHooks = [];

    /// <summary>Creates a hook drawing from <paramref name="key"/>; subclasses register with <see cref="AddHookRemoval"/>.</summary>
    protected NoiseHook(NoiseSettings settings, NoiseKey key)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        Key = key;
    }

    /// <summary>Distribution, schedule and scale.</summary>
    public NoiseSettings Settings { get; }

    /// <summary>The stream; draw n of the hook draws from <c>Key.WithDraw(n)</c> (and its tensor index).</summary>
    public NoiseKey Key { get; set; }

    /// <summary>The optimizer step the schedule is read at; advance it from your loop (the Trainer does at each step start).</summary>
    public long Step { get; set; }

    /// <summary>The epoch, counted from 0, the schedule is read at (for per-epoch schedules).</summary>
    public int Epoch { get; set; }

    /// <summary>Training-mode calls that drew noise so far (part of each draw's key). Save it to resume the stream.</summary>
    public long Draws { get; set; }

    /// <summary>When set, told of every draw the hook makes (what a noise histogram redraws); null by default.</summary>
    public Action<NoiseDraw>? Drawn { get; set; }

    /// <summary>The level at <see cref="Step"/> and <see cref="Epoch"/>.</summary>
    public double Sigma => Settings.Schedule.At(Step, Epoch);

    /// <summary>Remembers how to remove a hook, for <see cref="Dispose"/>.</summary>
    protected void AddHookRemoval(Action remove) => _removeHooks.Add(remove);

    /// <summary>Removes the hooks.</summary>
    public void Dispose()
    {
        foreach (Action remove in _removeHooks)
            remove();
        _removeHooks.Clear();
        GC.SuppressFinalize(this);
    }
}
