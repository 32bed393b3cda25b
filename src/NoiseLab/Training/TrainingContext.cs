using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>
/// The state of a training run as callbacks see it. The trainer updates it as the loop moves;
/// callbacks read it, and at <see cref="TrainingCallback.OnStepStart"/> may replace the batch.
/// </summary>
public sealed class TrainingContext
{
    internal TrainingContext(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, TrainerOptions options, int stepsPerEpoch)
    {
        Model = model;
        Optimizer = optimizer;
        Options = options;
        Parameters = [.. model.parameters().Where(p => p.requires_grad)];
        StepsPerEpoch = stepsPerEpoch;
    }

    /// <summary>The model being trained.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    /// <summary>The optimizer stepping it.</summary>
    public optim.Optimizer Optimizer { get; }

    /// <summary>The trainer's options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The trainable parameters, in the model's order.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Optimizer steps in one epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The current epoch, counted from 1.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Optimizer steps taken before the current one (the global step, counted from 0).</summary>
    public long Step { get; internal set; }

    /// <summary>The current step within the epoch, counted from 0.</summary>
    public int StepInEpoch { get; internal set; }

    /// <summary>The current batch's inputs. A callback may replace them at step start (e.g. to add noise).</summary>
    public Tensor? Inputs { get; set; }

    /// <summary>The current batch's targets.</summary>
    public Tensor? Targets { get; set; }

    /// <summary>The current batch's loss, available from <see cref="TrainingCallback.OnAfterBackward"/> on.</summary>
    public Tensor? Loss { get; internal set; }

    /// <summary>The whole gradient's L2 norm before clipping, available from <see cref="TrainingCallback.OnAfterClipping"/> on.</summary>
    public double GradientNorm { get; internal set; }

    /// <summary>Set by a callback to end training after the current epoch.</summary>
    public bool StopRequested { get; set; }

    /// <summary>The optimizer's current learning rate (of its first parameter group).</summary>
    public double LearningRate => Optimizer.ParamGroups.First().LearningRate;
}
