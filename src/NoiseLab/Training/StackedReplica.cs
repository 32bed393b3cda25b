using NoiseLab.Checkpoints;
using NoiseLab.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>
/// One replica of a <see cref="StackedTrainer"/>: its single-run module (whose parameters are views of its slot),
/// its options and seed, its own context, callbacks, shuffle and global generators, history and epoch sums:
/// everything its single run keeps for itself.
/// </summary>
internal sealed class StackedReplica : IDisposable
{
    private readonly Generator? _ownGlobal;
    private ParameterSnapshot? _epochStart;
    private Tensor? _order;

    public StackedReplica(int slot, nn.Module<Tensor, Tensor> model, TrainerOptions options, Generator? dropoutGenerator, int metricSums)
    {
        Slot = slot;
        Model = model;
        Options = options;
        // Without dropout nothing draws from the single run's global generator; its state is still part of the run's state.
        _ownGlobal = dropoutGenerator is null ? new Generator(0) : null;
        Global = dropoutGenerator ?? _ownGlobal!;
        MetricSums = new double[metricSums];
    }

    /// <summary>The slot in the stacked model.</summary>
    public int Slot { get; }

    /// <summary>The replica's single-run module.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    /// <summary>The single run's options (its seed).</summary>
    public TrainerOptions Options { get; }

    /// <summary>The generator that plays the single run's global one (dropout).</summary>
    public Generator Global { get; }

    /// <summary>The shuffle's generator, as the single run's.</summary>
    public Generator Shuffle { get; private set; } = null!;

    /// <summary>The replica's view of the loop.</summary>
    public TrainingContext Context { get; private set; } = null!;

    /// <summary>The replica's callbacks, in order.</summary>
    public List<TrainingCallback> Callbacks { get; } = [];

    /// <summary>Where its checkpoints go; null for none.</summary>
    public CheckpointFolder? Checkpoints { get; set; }

    /// <summary>Its epochs so far.</summary>
    public List<EpochRecord> History { get; } = [];

    /// <summary>An optimizer of its single run's kind over its own parameters, for its checkpoints; made on first use.</summary>
    public optim.Optimizer? OwnOptimizer { get; set; }

    /// <summary>Still training.</summary>
    public bool Active { get; set; } = true;

    /// <summary>How it ended; null while it trains.</summary>
    public ReplicaOutcome? Outcome { get; set; }

    /// <summary>The batch it was given at this step's start, to see whether a callback replaced it.</summary>
    public Tensor? BatchInputs { get; set; }

    /// <summary>This step's loss over its micro-batches, weighted by their size.</summary>
    public double StepLoss { get; set; }

    /// <summary>This epoch's loss sum.</summary>
    public double LossSum { get; set; }

    /// <summary>This epoch's sum of per-step gradient norms.</summary>
    public double GradNormSum { get; set; }

    /// <summary>This epoch's running sums of the objective's figures.</summary>
    public double[] MetricSums { get; }

    /// <summary>This epoch's shuffled order of the training samples.</summary>
    public Tensor Order => _order ?? throw new InvalidOperationException("The epoch has not started.");

    /// <summary>Seeds the generators as the single run seeds its own and makes the context.</summary>
    public void Begin(optim.Optimizer optimizer, int stepsPerEpoch)
    {
        Context = new TrainingContext(Model, optimizer, Options, stepsPerEpoch, Callbacks);
        Shuffle = new Generator(SeedDerivation.Derive(Options.Seed, "shuffle"));
        Global.manual_seed(SeedDerivation.DeriveNonNegative(Options.Seed, "torch-global"));
        _epochStart = new ParameterSnapshot(Context.Parameters);
    }

    /// <summary>Remembers the weights at the epoch's start, before its callbacks' epoch-start moment, as the single run does.</summary>
    public void CaptureEpochStart() => _epochStart!.Capture();

    /// <summary>Draws this epoch's order and clears the sums.</summary>
    public void DrawOrder(int trainCount)
    {
        _order?.Dispose();
        _order = randperm(trainCount, generator: Shuffle);
        LossSum = GradNormSum = 0;
        Array.Clear(MetricSums);
    }

    /// <summary>How far the weights moved this epoch.</summary>
    public double WeightUpdateNorm() => _epochStart!.DistanceToCurrent();

    /// <summary>Calls <paramref name="moment"/> on each callback, in order.</summary>
    public void ForEach(Action<TrainingCallback> moment)
    {
        foreach (TrainingCallback callback in Callbacks)
            moment(callback);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _order?.Dispose();
        _epochStart?.Dispose();
        Shuffle?.Dispose();
        _ownGlobal?.Dispose();
        OwnOptimizer?.Dispose();
    }
}
