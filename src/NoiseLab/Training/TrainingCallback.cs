namespace NoiseLab.Training;

/// <summary>
/// Code that runs at named moments of <see cref="Trainer"/>'s loop. Override the moments you need;
/// the rest do nothing. In order, per optimizer step:
/// <see cref="OnStepStart"/> → forward, backward → <see cref="OnAfterBackward"/> → clipping →
/// <see cref="OnAfterClipping"/> → optimizer step → <see cref="OnAfterOptimizerStep"/>.
/// Tensors created inside a step moment are disposed at the end of the step unless moved out.
/// A callback with state that must survive a checkpoint names it with <see cref="StateKey"/> and
/// writes and reads it in <see cref="SaveState"/> and <see cref="LoadState"/> (Lightning's state_dict).
/// </summary>
public abstract class TrainingCallback
{
    /// <summary>Before the first epoch.</summary>
    public virtual void OnTrainStart(TrainingContext context) { }

    /// <summary>
    /// When the run continues from a checkpoint: after <see cref="OnTrainStart"/> and <see cref="LoadState"/>,
    /// with the records of the epochs already trained.
    /// </summary>
    public virtual void OnResume(TrainingContext context, IReadOnlyList<EpochRecord> history) { }

    /// <summary>At the start of each epoch, before the first batch.</summary>
    public virtual void OnEpochStart(TrainingContext context) { }

    /// <summary>The batch is in <see cref="TrainingContext.Inputs"/>; the forward pass has not run.</summary>
    public virtual void OnStepStart(TrainingContext context) { }

    /// <summary>Gradients are in the parameters' <c>grad</c>; nothing has been clipped.</summary>
    public virtual void OnAfterBackward(TrainingContext context) { }

    /// <summary>Gradients are clipped (when clipping is on); the optimizer has not stepped.</summary>
    public virtual void OnAfterClipping(TrainingContext context) { }

    /// <summary>The optimizer has updated the weights.</summary>
    public virtual void OnAfterOptimizerStep(TrainingContext context) { }

    /// <summary>After validation; <paramref name="record"/> holds the epoch's figures.</summary>
    public virtual void OnEpochEnd(TrainingContext context, EpochRecord record) { }

    /// <summary>After the last epoch, before the test set is evaluated.</summary>
    public virtual void OnTrainEnd(TrainingContext context) { }

    /// <summary>The name a checkpoint keeps this callback's state under; null (the default) for a callback with nothing to carry.</summary>
    public virtual string? StateKey => null;

    /// <summary>Writes what this callback needs to continue exactly; called at each checkpoint when <see cref="StateKey"/> is set.</summary>
    public virtual void SaveState(BinaryWriter writer) { }

    /// <summary>Reads what <see cref="SaveState"/> wrote; called on resume, after <see cref="OnTrainStart"/>.</summary>
    public virtual void LoadState(BinaryReader reader) { }
}
