using System.Text.Json.Serialization;
using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Optimization;
using NoiseLab.Training;

namespace NoiseLab.Experiments;

/// <summary>
/// Everything that defines one training run: data set, model, optimizer, trainer options and
/// thread count. Two runs with equal specs produce the same history, bit for bit.
/// </summary>
public sealed record RunSpec
{
    /// <summary>The data set's catalog name, e.g. "fashion-mnist".</summary>
    public string DataSet { get; init; } = MnistFamily.FashionMnist.Name;

    /// <summary>Where and how to load the data.</summary>
    public DataOptions Data { get; init; } = new();

    /// <summary>The model, e.g. mlp:500,500.</summary>
    public ModelSpec Model { get; init; } = ModelSpec.Parse("mlp:500,500");

    /// <summary>The optimizer and its hyper-parameters.</summary>
    public OptimizerSpec Optimizer { get; init; } = new(OptimizerKind.Momentum, 0.05);

    /// <summary>The learning-rate schedule in its command-line form: constant, cosine[:min=R], step[:every=E,factor=F].</summary>
    public string LearningRateSchedule { get; init; } = "constant";

    /// <summary>Noise plans in their command-line form (<see cref="Noise.NoiseSpec.AcceptedForms"/>), in the order they act.</summary>
    public IReadOnlyList<string> Noise { get; init; } = [];

    /// <summary>Augment training images with a random 4-pixel-padded crop and a horizontal flip (seed 002's CIFAR augmentation).</summary>
    public bool Augment { get; init; }

    /// <summary>Measure sharpness (top Hessian eigenvalue, Hessian trace) on the first 256 training samples every this many epochs; 0 for never.</summary>
    public int SharpnessEvery { get; init; }

    /// <summary>
    /// Stop when a figure stops improving, and optionally restore the best epoch's weights; null (default) for none.
    /// Left out of the spec's JSON when null, so that stored configurations and checkpoint keys of runs without it do not change.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EarlyStoppingOptions? EarlyStopping { get; init; }

    /// <summary>Epochs, batch size, seed, clipping.</summary>
    public TrainerOptions Trainer { get; init; } = new();

    /// <summary>Where the model trains: <c>cpu</c>, or <c>cuda</c> / <c>cuda:N</c> with a CUDA libtorch.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The model's floating dtype: float32 (default) or float64; batches follow it.</summary>
    public TorchSharp.torch.ScalarType DType { get; init; } = TorchSharp.torch.ScalarType.Float32;

    /// <summary>Intra-op threads for TorchSharp; results are bit-identical only for the same count, and for a stacked run's replicas reliably only at one (docs/reliability.md).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
