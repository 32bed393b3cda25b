using NoiseLab.Randomness;
using NoiseLab.Training;

namespace NoiseLab.Noise;

/// <summary>
/// Base of the injectors that attach to <see cref="Trainer"/>'s loop. It owns the injector's random
/// stream (keyed by run seed and injector name), evaluates the schedule once per step and reports the
/// level into the epoch's history. Subclasses act at their moment of the step.
/// </summary>
public abstract class NoiseInjector : TrainingCallback
{
    private readonly List<NoiseDraw> _draws = [];

    /// <summary>Creates an injector called <paramref name="name"/> with <paramref name="settings"/>.</summary>
    protected NoiseInjector(string name, NoiseSettings settings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(settings);
        Name = name;
        Settings = settings;
    }

    /// <summary>The injector's name: its key in the history's sigmas and part of its random stream's key.</summary>
    public string Name { get; private set; }

    /// <summary>Gives the injector another name (and so another random stream); only before training starts.</summary>
    public void Rename(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>Distribution, schedule and scale.</summary>
    public NoiseSettings Settings { get; }

    /// <summary>The schedule's level at the current step (before any relative scaling).</summary>
    public double Sigma { get; private set; }

    /// <summary>
    /// Whether to keep <see cref="LastDraws"/>, the description of the noise of the latest step (what a TensorBoard
    /// noise histogram redraws). Off by default; <see cref="TensorBoard.TensorBoardLogger.Histograms"/> turns it on.
    /// </summary>
    public bool RecordDraws { get; set; }

    /// <summary>
    /// With <see cref="RecordDraws"/>: the noise this injector drew at its latest step, one entry per tensor, to be drawn
    /// again with <see cref="NoiseDraw.Redraw"/>; empty at level 0, in evaluation, or for injectors that do not record
    /// (embedding noise, whose noise is masked and rescaled after the draw).
    /// </summary>
    public IReadOnlyList<NoiseDraw> LastDraws => _draws;

    /// <summary>Adds <paramref name="count"/> values at <paramref name="sigma"/> from <paramref name="key"/> to <see cref="LastDraws"/>, when recording.</summary>
    protected void RecordDraw(long count, float sigma, NoiseKey key) => RecordDraw(new NoiseDraw(count, Settings.Distribution, sigma, key));

    /// <summary>Adds <paramref name="draw"/>, as a hook or a perturbation described it, to <see cref="LastDraws"/>, when recording.</summary>
    protected void RecordDraw(NoiseDraw draw)
    {
        if (RecordDraws && draw.Sigma != 0)
            _draws.Add(draw);
    }

    /// <summary>The injector's stream; draws differ by <see cref="NoiseKey.Tensor"/> and <see cref="NoiseKey.Draw"/>.</summary>
    protected NoiseKey Key { get; private set; }

    /// <inheritdoc />
    public override void OnTrainStart(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Key = NoiseKey.ForInjector(context.Options.Seed, Name);
    }

    /// <summary>The state to save with a checkpoint so that a resumed run draws the same noise.</summary>
    public virtual NoiseInjectorState CaptureState() => NoiseInjectorState.Empty;

    /// <summary>Restores a state from <see cref="CaptureState"/>; call after <see cref="TrainingCallback.OnTrainStart"/>.</summary>
    public virtual void RestoreState(NoiseInjectorState state) => ArgumentNullException.ThrowIfNull(state);

    /// <inheritdoc />
    public override string? StateKey => "noise/" + Name;

    /// <inheritdoc />
    public override void SaveState(BinaryWriter writer) => CaptureState().Write(writer);

    /// <inheritdoc />
    public override void LoadState(BinaryReader reader)
    {
        try
        {
            RestoreState(NoiseInjectorState.Read(reader));
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"The saved state of injector '{Name}' is damaged: {error.Message}", error);
        }
    }

    /// <summary>Evaluates the schedule for this step and reports it; call once per step at the injector's moment.</summary>
    protected double BeginStep(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _draws.Clear();
        Sigma = Settings.Schedule.At(context.Step, context.Epoch - 1);
        context.ReportSigma(Name, Sigma);
        return Sigma;
    }
}
