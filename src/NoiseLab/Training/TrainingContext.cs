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
    internal TrainingContext(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, TrainerOptions options, int stepsPerEpoch,
        IReadOnlyList<TrainingCallback>? callbacks = null)
    {
        Callbacks = callbacks ?? [];
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

    /// <summary>The run's callbacks, in the order they are called (a logger finds the noise injectors here).</summary>
    public IReadOnlyList<TrainingCallback> Callbacks { get; }

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

    private readonly Dictionary<string, (double Sum, long Count)> _sigmas = [];
    private readonly Dictionary<string, (double Sum, long Count)> _diagnostics = [];

    /// <summary>Records the noise level an injector used at this step; the epoch record holds the epoch's mean.</summary>
    public void ReportSigma(string injector, double sigma) => Accumulate(_sigmas, injector, sigma);

    /// <summary>Records a per-step diagnostic (e.g. noise-to-gradient ratio); the epoch record holds the epoch's mean.</summary>
    public void ReportDiagnostic(string name, double value) => Accumulate(_diagnostics, name, value);

    internal (Dictionary<string, double> Sigmas, Dictionary<string, double> Diagnostics) TakeEpochReports()
    {
        static Dictionary<string, double> Means(Dictionary<string, (double Sum, long Count)> values) =>
            values.ToDictionary(e => e.Key, e => e.Value.Sum / e.Value.Count);
        var reports = (Means(_sigmas), Means(_diagnostics));
        _sigmas.Clear();
        _diagnostics.Clear();
        return reports;
    }

    private static void Accumulate(Dictionary<string, (double Sum, long Count)> values, string name, double value)
    {
        ArgumentNullException.ThrowIfNull(name);
        values[name] = values.TryGetValue(name, out var entry) ? (entry.Sum + value, entry.Count + 1) : (value, 1);
    }

    /// <summary>The optimizer's current learning rate (of its first parameter group).</summary>
    public double LearningRate => Optimizer.ParamGroups.First().LearningRate;
}
