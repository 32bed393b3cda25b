using NoiseLab.Checkpoints;
using NoiseLab.Data;
using NoiseLab.Interop;
using NoiseLab.Models.Stacked;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>
/// Trains k restarts of one configuration, which differ only in their seeds, as one <see cref="StackedMlp"/>: one
/// batched forward and backward per step instead of k. Each replica is the run its seed would give alone with
/// <see cref="Trainer"/>: its initial weights (built by the registry for its seed), its shuffled batches (its own
/// shuffle generator), its gradient (the loss is the sum of the replicas' mean losses, so each slice of the
/// gradient is that replica's), its clipping (by its own gradient norm), its dropout masks (its own generator),
/// its callbacks and noise (each sees a context of its own, whose parameters are the replica's slices), its
/// validation and test figures (its own module, evaluated alone), its checkpoints and its fingerprint (those of
/// its single run). SGD, momentum, Adam and AdamW act per element, so the stacked optimizer steps each slice as
/// the single run's optimizer steps its weights; the learning rate is shared.
/// </summary>
/// <remarks>
/// A replica whose loss stops being finite ends with a <see cref="TrainingDivergedException"/>, and one whose
/// callback throws ends with that exception (<see cref="ReplicaOutcome.Error"/>); the others go on. From then on
/// the replica's loss is left out of the sum and its gradient slices are zeroed, so nothing of it reaches the
/// others or the optimizer; after a divergence or failure its weights are zeroed as well. Its slot is still
/// computed (the batched tensors keep their width) until the run ends.
/// </remarks>
public sealed class StackedTrainer : IDisposable
{
    private readonly StackedMlp _model;
    private readonly Func<IEnumerable<Parameter>, optim.Optimizer> _createOptimizer;
    private readonly optim.Optimizer _optimizer;
    private readonly TrainerOptions _options;
    private readonly Objective _objective;
    private readonly StackedReplica?[] _replicas;
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly bool[] _masked;
    private readonly List<int> _toZero = [];
    private Tensor? _inactive;
    private bool _gradientsShared;
    private long _step;

    /// <summary>Creates a trainer for <paramref name="model"/> whose slot r trains with seed <paramref name="seeds"/>[r].</summary>
    /// <param name="model">The stacked model; its empty slots (null replicas) must have null seeds.</param>
    /// <param name="seeds">Each slot's seed: the single run's <see cref="TrainerOptions.Seed"/>.</param>
    /// <param name="createOptimizer">Builds the optimizer over parameters: once over the stacked ones, and once per replica for its checkpoints.</param>
    /// <param name="options">Epochs, batch size, clipping, evaluation; its seed is ignored.</param>
    /// <param name="objective">The loss and figures; classification by default.</param>
    public StackedTrainer(StackedMlp model, IReadOnlyList<long?> seeds, Func<IEnumerable<Parameter>, optim.Optimizer> createOptimizer, TrainerOptions options, Objective? objective = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(createOptimizer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (seeds.Count != model.Width || Enumerable.Range(0, model.Width).Any(r => seeds[r] is null != model.Replicas[r] is null))
            throw new ArgumentException($"Give one seed per replica of the stacked model ({model.Width}) and null for each empty slot.", nameof(seeds));
        _model = model;
        _createOptimizer = createOptimizer;
        _options = options;
        _objective = objective ?? new ClassificationObjective();
        _parameters = model.StackedParameters;
        _optimizer = createOptimizer(_parameters);
        _replicas = new StackedReplica?[model.Width];
        for (int r = 0; r < model.Width; r++)
        {
            if (seeds[r] is long seed)
                _replicas[r] = new StackedReplica(r, model.Replicas[r]!, options with { Seed = seed }, model.DropoutGenerators.ElementAtOrDefault(r), _objective.SumCount);
        }
        _masked = [.. _replicas.Select(r => r is null)];
        for (int r = 0; r < model.Width; r++)
        {
            if (_masked[r])
                ZeroSlot(r);
        }
    }

    /// <summary>k, the number of slots.</summary>
    public int Width => _replicas.Length;

    /// <summary>The stacked optimizer.</summary>
    public optim.Optimizer Optimizer => _optimizer;

    /// <summary>
    /// Which errors of a replica's callbacks end every replica, propagating out of <see cref="Fit"/>; the others end
    /// only that replica. By default only a cancellation (a requested stop).
    /// </summary>
    public Func<Exception, bool> StopsEveryReplica { get; set; } = e => e is OperationCanceledException;

    /// <summary>Called as each replica ends, with how it ended, so that its result can be stored at once.</summary>
    public Action<ReplicaOutcome>? ReplicaFinished { get; set; }

    /// <summary>Adds a callback of the replica in slot <paramref name="slot"/>; it sees that replica's context only.</summary>
    public StackedTrainer Add(int slot, TrainingCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Replica(slot).Callbacks.Add(callback);
        return this;
    }

    /// <summary>Saves slot <paramref name="slot"/>'s checkpoint into <paramref name="folder"/> after every epoch, in its single run's format.</summary>
    public StackedTrainer SaveCheckpoints(int slot, CheckpointFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!StackedOptimizerState.Supports(_optimizer))
            throw new ArgumentException($"Stacked checkpoints need SGD, Adam or AdamW; {_optimizer.GetType().Name} is not one of them.", nameof(folder));
        Replica(slot).Checkpoints = folder;
        return this;
    }

    /// <summary>Trains every replica on <paramref name="data"/>'s training split and evaluates each on the validation and test splits.</summary>
    /// <param name="data">The splits.</param>
    /// <param name="resumeFrom">Per slot, a checkpoint of that replica to continue from (its single run's, or its own); all of one epoch.</param>
    /// <returns>Per slot, how the replica ended; null for empty slots.</returns>
    /// <exception cref="CheckpointMismatchException">The checkpoints are of different epochs, or do not fit this run.</exception>
    public IReadOnlyList<ReplicaOutcome?> Fit(DataSplits data, IReadOnlyList<TrainingCheckpoint?>? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        resumeFrom ??= new TrainingCheckpoint?[Width];
        if (resumeFrom.Count != Width)
            throw new ArgumentException($"Give one checkpoint (or null) per slot ({Width}).", nameof(resumeFrom));
        int[] epochs = [.. Present.Select(r => resumeFrom[r.Slot]?.Epoch ?? 0).Distinct()];
        if (epochs.Length > 1)
            throw new CheckpointMismatchException($"The replicas' checkpoints are of epochs {string.Join(", ", epochs.Order())}; stacked replicas train in step and resume from one epoch.");
        foreach (TrainingCheckpoint checkpoint in resumeFrom.OfType<TrainingCheckpoint>())
            TrainingState.CheckFits(checkpoint, _options);

        // Every replica's noise draws come from the run's generator, as its single run's do.
        using var generator = Randomness.NoiseGenerator.Use(_options.NoiseGenerator);
        InMemoryDataset train = data.Train;
        int batchSize = (int)Math.Min((long)_options.BatchSize * _options.AccumulationSteps, train.Count);
        int stepsPerEpoch = Trainer.StepsPerEpoch(train.Count, _options);
        foreach (StackedReplica replica in Present)
            replica.Begin(_optimizer, stepsPerEpoch);
        Each(r => r.ForEach(c => c.OnTrainStart(r.Context)));
        int done = epochs.SingleOrDefault();
        _step = resumeFrom.OfType<TrainingCheckpoint>().FirstOrDefault()?.Step ?? 0;
        foreach (StackedReplica replica in Active.Where(r => resumeFrom[r.Slot] is not null).ToList())
        {
            Guard(replica, () =>
            {
                Restore(replica, resumeFrom[replica.Slot]!);
                replica.ForEach(c => c.OnResume(replica.Context, replica.History));
            });
        }
        // A replica that had asked to stop before its checkpoint ends now, as its single run would.
        foreach (StackedReplica replica in Active.Where(r => r.Context.StopRequested).ToList())
            Finish(replica, data);

        for (int epoch = done + 1; epoch <= _options.Epochs && Active.Any(); epoch++)
        {
            Each(r =>
            {
                r.Context.Epoch = epoch;
                r.CaptureEpochStart();
                r.ForEach(c => c.OnEpochStart(r.Context));
            });
            RunEpoch(train, batchSize, stepsPerEpoch);
            Each(r => EndEpoch(r, epoch, data));
            FaultInjection.Hit("before-checkpoint");
            foreach (StackedReplica replica in Active.Where(r => r.Checkpoints is not null))
                replica.Checkpoints!.Save(Capture(replica, replica.Checkpoints.RunKey));
            foreach (StackedReplica replica in Active.Where(r => r.Context.StopRequested).ToList())
                Finish(replica, data);
        }
        foreach (StackedReplica replica in Active.ToList())
            Finish(replica, data);
        return [.. _replicas.Select(r => r?.Outcome)];
    }

    private IEnumerable<StackedReplica> Present => _replicas.OfType<StackedReplica>();

    private IEnumerable<StackedReplica> Active => Present.Where(r => r.Active);

    private StackedReplica Replica(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, Width);
        return _replicas[slot] ?? throw new ArgumentException($"Slot {slot} is empty.", nameof(slot));
    }

    private void RunEpoch(InMemoryDataset train, int batchSize, int stepsPerEpoch)
    {
        SetTraining(true);
        BatchPlacement placement = BatchPlacement.Of(_model);
        foreach (StackedReplica replica in Active)
            replica.DrawOrder(train.Count);
        long[] sampleShape = train.SampleShape, targetShape = train.Targets.shape[1..];
        for (int step = 0; step < stepsPerEpoch && Active.Any(); step++)
        {
            foreach (int slot in _toZero)
                ZeroSlot(slot);
            _toZero.Clear();
            using var scope = NewDisposeScope();
            int start = step * batchSize;
            int length = Math.Min(batchSize, train.Count - start);
            // Empty and finished slots are fed the first active replica's batch: any batch would do.
            StackedReplica filler = Active.First();
            Tensor indices = stack([.. _replicas.Select(r => (r is { Active: true } ? r : filler).Order.narrow(0, start, length))]);
            var (gathered, gatheredTargets) = train.Gather(indices.flatten());
            Tensor inputs = placement.Place(gathered).view([Width, length, .. sampleShape]);
            Tensor targets = placement.Place(gatheredTargets).view([Width, length, .. targetShape]);
            Each(r =>
            {
                r.Context.StepInEpoch = step;
                r.Context.Step = _step;
                r.Context.Inputs = r.BatchInputs = inputs[r.Slot];
                r.Context.Targets = targets[r.Slot];
                r.ForEach(c => c.OnStepStart(r.Context));
            });
            if (Active.Any(r => !ReferenceEquals(r.Context.Inputs, r.BatchInputs)))
                inputs = stack([.. _replicas.Select((r, slot) => r is { Active: true } ? r.Context.Inputs! : inputs[slot])]);

            ZeroGradients();
            foreach (StackedReplica replica in Active)
                replica.StepLoss = 0;
            for (int micro = 0; micro < length && Active.Any(); micro += _options.BatchSize)
            {
                int microLength = Math.Min(_options.BatchSize, length - micro);
                Tensor microInputs = microLength == length ? inputs : inputs.narrow(1, micro, microLength);
                Tensor microTargets = microLength == length ? targets : targets.narrow(1, micro, microLength);
                ForwardBackward(microInputs, microTargets, microLength, length);
            }
            if (!Active.Any())
                break;
            MaskFinishedGradients();
            ShareGradients();
            Each(r => r.ForEach(c => c.OnAfterBackward(r.Context)));

            double[] norms = ReplicaGradientNorms.Compute(_parameters, Width);
            if (_options.ClipNorm is double maxNorm)
                ReplicaGradientNorms.Clip(_parameters, norms, maxNorm);
            Each(r =>
            {
                r.Context.GradientNorm = norms[r.Slot];
                r.ForEach(c => c.OnAfterClipping(r.Context));
            });

            _optimizer.step();
            Each(r => r.ForEach(c => c.OnAfterOptimizerStep(r.Context)));

            _step++;
            foreach (StackedReplica replica in Active)
            {
                replica.LossSum += replica.StepLoss;
                replica.GradNormSum += replica.Context.GradientNorm;
                replica.Context.Step = _step;
                replica.Context.Inputs = replica.Context.Targets = replica.Context.Loss = null;
                replica.BatchInputs = null;
            }
        }
    }

    // One micro-batch for every active replica: each replica's mean loss, as its single run computes it, summed.
    private void ForwardBackward(Tensor inputs, Tensor targets, int microLength, int stepLength)
    {
        Tensor output = _model.call(inputs);
        Tensor[] outputs = output.unbind(0), replicaTargets = targets.unbind(0);
        var active = Active.ToList();
        Tensor[] losses = [.. active.Select(r => _objective.Loss(outputs[r.Slot], replicaTargets[r.Slot]))];
        double[] values;
        using (Tensor all = stack(losses).to_type(ScalarType.Float64))
            values = all.data<double>().ToArray();
        Tensor? total = null;
        for (int i = 0; i < active.Count; i++)
        {
            StackedReplica replica = active[i];
            if (!double.IsFinite(values[i]))
            {
                Fail(replica, new TrainingDivergedException(replica.Context.Epoch, _step, values[i]));
                continue;
            }
            using Scalar share = ((double)microLength / stepLength).ToScalar();
            Tensor term = microLength == stepLength ? losses[i] : losses[i].mul(share);
            total = total is null ? term : total.add(term, ScalarConstants.One);
            replica.StepLoss += values[i] * microLength;
            using (no_grad())
                _objective.AddMetricSums(outputs[replica.Slot], replicaTargets[replica.Slot], replica.MetricSums);
            replica.Context.Loss = losses[i];
        }
        total?.backward();
    }

    private void EndEpoch(StackedReplica replica, int epoch, DataSplits data)
    {
        int count = data.Train.Count;
        var trainFigures = _options.EvaluateTrainingSet
            ? Evaluation.Run(replica.Model, data.Train, _objective, _options.EvaluationBatchSize)
            : new Evaluation.Result(replica.LossSum / count, _objective.Finish(replica.MetricSums, count));
        Evaluation.Result validation = Evaluation.Run(replica.Model, data.Validation, _objective, _options.EvaluationBatchSize);
        double gradNorm = replica.GradNormSum / replica.Context.StepsPerEpoch;
        var (sigmas, diagnostics) = replica.Context.TakeEpochReports();
        List<EpochRecord> history = replica.History;
        var record = new EpochRecord
        {
            Epoch = epoch,
            TrainLoss = trainFigures.Loss,
            TrainAccuracy = trainFigures.Accuracy,
            ValLoss = validation.Loss,
            ValAccuracy = validation.Accuracy,
            TrainMetrics = trainFigures.Metrics,
            ValMetrics = validation.Metrics,
            GradNorm = gradNorm,
            GradNormChange = history.Count == 0 || history[^1].GradNorm == 0 ? 0 : (gradNorm - history[^1].GradNorm) / history[^1].GradNorm,
            WeightUpdateNorm = replica.WeightUpdateNorm(),
            LearningRate = replica.Context.LearningRate,
            Sigmas = sigmas,
            Diagnostics = diagnostics,
        };
        history.Add(record);
        replica.ForEach(c => c.OnEpochEnd(replica.Context, record));
    }

    // The replica's end as its single run's: train-end moment, test split, fingerprint.
    private void Finish(StackedReplica replica, DataSplits data)
    {
        TrainingResult? result = null;
        Guard(replica, () =>
        {
            replica.ForEach(c => c.OnTrainEnd(replica.Context));
            Evaluation.Result test = Evaluation.Run(replica.Model, data.Test, _objective, _options.EvaluationBatchSize);
            result = new TrainingResult([.. replica.History], test.Loss, test.Accuracy, test.Metrics)
            {
                StateFingerprint = TrainingState.Fingerprint(Capture(replica, runKey: "")),
            };
        });
        if (result is not null)
            End(replica, new ReplicaOutcome(replica.Slot, replica.Options.Seed, result, null), zeroWeights: false);
    }

    private void Fail(StackedReplica replica, Exception error) =>
        End(replica, new ReplicaOutcome(replica.Slot, replica.Options.Seed, null, error), zeroWeights: true);

    private void End(StackedReplica replica, ReplicaOutcome outcome, bool zeroWeights)
    {
        replica.Active = false;
        replica.Outcome = outcome;
        _masked[replica.Slot] = true;
        _inactive?.Dispose();
        _inactive = null;
        // Not at once: a loss found infinite ends its replica between the forward pass and the backward pass.
        if (zeroWeights)
            _toZero.Add(replica.Slot);
        ReplicaFinished?.Invoke(outcome);
    }

    // Runs a replica's moment; what its callbacks throw ends that replica alone, unless it must end them all.
    private void Guard(StackedReplica replica, Action moment)
    {
        try
        {
            moment();
        }
        catch (Exception e) when (!StopsEveryReplica(e))
        {
            Fail(replica, e);
        }
    }

    private void Each(Action<StackedReplica> moment)
    {
        foreach (StackedReplica replica in Active.ToList())
            Guard(replica, () => moment(replica));
    }

    private void SetTraining(bool on)
    {
        _model.train(on);
        foreach (StackedReplica replica in Present)
            replica.Model.train(on);
    }

    private void ZeroGradients()
    {
        foreach (Parameter parameter in _parameters)
        {
            using Tensor? grad = parameter.grad;
            grad?.zero_();
        }
    }

    // After the first backward every stacked parameter has a gradient, which later steps zero and accumulate in
    // place; each replica's parameters get views of their slices as their own gradients, once.
    private void ShareGradients()
    {
        if (_gradientsShared)
            return;
        using var scope = NewDisposeScope();
        foreach (StackedReplica replica in Present)
        {
            IReadOnlyList<Parameter> own = replica.Context.Parameters;
            for (int i = 0; i < own.Count; i++)
                own[i].grad = _parameters[i].grad![replica.Slot].view(own[i].shape);
        }
        _gradientsShared = true;
    }

    private void MaskFinishedGradients()
    {
        if (!_masked.Any(m => m))
            return;
        using var noGrad = no_grad();
        _inactive ??= tensor(_masked).unsqueeze(1).DetachFromDisposeScope();
        foreach (Parameter parameter in _parameters)
        {
            using Tensor grad = parameter.grad!;
            using Tensor rows = grad.view(Width, -1);
            rows.masked_fill_(_inactive, ScalarConstants.Zero);
        }
    }

    private void ZeroSlot(int slot)
    {
        using var noGrad = no_grad();
        foreach (Parameter parameter in _parameters)
        {
            using Tensor slice = parameter[slot];
            slice.zero_();
        }
    }

    private TrainingCheckpoint Capture(StackedReplica replica, string runKey)
    {
        byte[] optimizer = [];
        if (StackedOptimizerState.Supports(_optimizer))
        {
            optim.Optimizer own = OwnOptimizer(replica);
            StackedOptimizerState.CopyToReplica(_optimizer, own, replica.Slot);
            optimizer = TrainingState.Serialize(writer => OptimizerState.Save(own, writer));
        }
        return TrainingState.Capture(runKey, replica.Context, replica.History, replica.Model, optimizer, replica.Global, replica.Shuffle, replica.Callbacks);
    }

    private void Restore(StackedReplica replica, TrainingCheckpoint checkpoint)
    {
        TrainingState.Restore(checkpoint, replica.Context, replica.Model, reader =>
        {
            optim.Optimizer own = OwnOptimizer(replica);
            OptimizerState.Load(own, reader);
            StackedOptimizerState.CopyFromReplica(own, _optimizer, replica.Slot);
        }, replica.Global, replica.Shuffle, replica.Callbacks);
        replica.History.AddRange(checkpoint.History);
    }

    private optim.Optimizer OwnOptimizer(StackedReplica replica) =>
        replica.OwnOptimizer ??= _createOptimizer(replica.Context.Parameters);

    /// <summary>Frees the optimizer and the replicas' buffers; the model stays the caller's.</summary>
    public void Dispose()
    {
        foreach (StackedReplica replica in Present)
            replica.Dispose();
        _inactive?.Dispose();
        _optimizer.Dispose();
    }
}
