using NoiseLab.Checkpoints;
using NoiseLab.Data;
using NoiseLab.Interop;
using NoiseLab.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>
/// Trains a model on in-memory data: epochs of shuffled minibatches, validation every epoch,
/// the test set once at the end. Switches train/eval modes itself, so evaluation never sees
/// training-only behaviour (dropout, noise). Callbacks attach at the loop's named moments
/// (<see cref="TrainingCallback"/>). The same seed and thread count give the same history, bit for bit,
/// and so does a run that stops after any epoch and continues from that epoch's checkpoint.
/// </summary>
public sealed class Trainer
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly optim.Optimizer _optimizer;
    private readonly Objective _objective;
    private readonly TrainerOptions _options;
    private readonly List<TrainingCallback> _callbacks = [];
    private CheckpointFolder? _checkpoints;

    /// <summary>Creates a trainer for <paramref name="model"/>, stepped by <paramref name="optimizer"/>.</summary>
    /// <param name="model">The model; its mode is set by the trainer.</param>
    /// <param name="optimizer">An optimizer over the model's parameters.</param>
    /// <param name="options">Epochs, batch size, seed, clipping; validated here.</param>
    /// <param name="objective">The loss and figures; classification (cross-entropy, accuracy) by default.</param>
    public Trainer(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, TrainerOptions options, Objective? objective = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _model = model;
        _optimizer = optimizer;
        _options = options;
        _objective = objective ?? new ClassificationObjective();
    }

    /// <summary>
    /// Optimizer steps per epoch over <paramref name="trainCount"/> samples: each step takes
    /// BatchSize × AccumulationSteps samples (the last may take fewer). Step-based schedules count these.
    /// </summary>
    public static int StepsPerEpoch(int trainCount, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trainCount);
        int samplesPerStep = SamplesPerStep(trainCount, options);
        return (trainCount + samplesPerStep - 1) / samplesPerStep;
    }

    private static int SamplesPerStep(int trainCount, TrainerOptions options) =>
        (int)Math.Min((long)options.BatchSize * options.AccumulationSteps, trainCount);

    /// <summary>Adds a callback; callbacks run in the order they were added.</summary>
    public Trainer Add(TrainingCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _callbacks.Add(callback);
        return this;
    }

    /// <summary>Saves a checkpoint into <paramref name="folder"/> after every epoch, once the epoch's callbacks have run.</summary>
    public Trainer SaveCheckpoints(CheckpointFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!OptimizerState.CanSave(_optimizer))
            throw new ArgumentException($"Checkpoints need an optimizer whose state TorchSharp can save (SGD, Adam, AdamW and the other managed optimizers, or a GradientNoiseOptimizer around one); {_optimizer.GetType().Name} is not one.", nameof(folder));
        _checkpoints = folder;
        return this;
    }

    /// <summary>Trains on <paramref name="data"/>'s training split and evaluates on its validation and test splits.</summary>
    /// <param name="data">The splits.</param>
    /// <param name="resumeFrom">A checkpoint of this run to continue from, after its epoch; null to start afresh.</param>
    /// <exception cref="TrainingDivergedException">The training loss stopped being finite.</exception>
    /// <exception cref="CheckpointMismatchException">The checkpoint was written by a run with other callbacks or another noise generator.</exception>
    public TrainingResult Fit(DataSplits data, TrainingCheckpoint? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (resumeFrom is not null)
            TrainingState.CheckFits(resumeFrom, _options);
        // Every noise draw of the run, whichever callback or module makes it, comes from the run's generator.
        using var generator = NoiseGenerator.Use(_options.NoiseGenerator);
        InMemoryDataset train = data.Train;
        int batchSize = SamplesPerStep(train.Count, _options);
        var context = new TrainingContext(_model, _optimizer, _options, StepsPerEpoch(train.Count, _options), _callbacks);

        // Dropout and other modules draw from TorchSharp's global generator; the shuffle has its own.
        torch.manual_seed(SeedDerivation.DeriveNonNegative(_options.Seed, "torch-global"));
        using var shuffle = new Generator(SeedDerivation.Derive(_options.Seed, "shuffle"));
        using var epochStart = new ParameterSnapshot(context.Parameters);

        var history = new List<EpochRecord>();
        ForEach(c => c.OnTrainStart(context));
        if (resumeFrom is not null)
        {
            Restore(resumeFrom, context, shuffle);
            history.AddRange(resumeFrom.History);
            ForEach(c => c.OnResume(context, resumeFrom.History));
        }
        for (int epoch = history.Count + 1; epoch <= _options.Epochs && !context.StopRequested; epoch++)
        {
            context.Epoch = epoch;
            epochStart.Capture();
            ForEach(c => c.OnEpochStart(context));
            var (trainFigures, gradNorm) = RunEpoch(context, train, batchSize, shuffle);
            if (_options.EvaluateTrainingSet)
                trainFigures = Evaluation.Run(_model, train, _objective, _options.EvaluationBatchSize);
            Evaluation.Result validation = Evaluation.Run(_model, data.Validation, _objective, _options.EvaluationBatchSize);
            var (sigmas, diagnostics) = context.TakeEpochReports();
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
                WeightUpdateNorm = epochStart.DistanceToCurrent(),
                LearningRate = context.LearningRate,
                Sigmas = sigmas,
                Diagnostics = diagnostics,
            };
            history.Add(record);
            ForEach(c => c.OnEpochEnd(context, record));
            FaultInjection.Hit("before-checkpoint");
            _checkpoints?.Save(Capture(context, history, shuffle, _checkpoints.RunKey));
        }
        ForEach(c => c.OnTrainEnd(context));
        Evaluation.Result test = Evaluation.Run(_model, data.Test, _objective, _options.EvaluationBatchSize);
        return new TrainingResult(history, test.Loss, test.Accuracy, test.Metrics) { StateFingerprint = Fingerprint(context, shuffle) };
    }

    private (Evaluation.Result Figures, double GradNorm) RunEpoch(TrainingContext context, InMemoryDataset train, int batchSize, Generator shuffle)
    {
        _model.train();
        BatchPlacement placement = BatchPlacement.Of(_model);
        using Tensor order = randperm(train.Count, generator: shuffle);
        double lossSum = 0, gradNormSum = 0;
        var metricSums = new double[_objective.SumCount];
        for (int step = 0; step < context.StepsPerEpoch; step++)
        {
            using var scope = NewDisposeScope();
            int start = step * batchSize;
            int length = Math.Min(batchSize, train.Count - start);
            var (inputs, targets) = train.Gather(order.narrow(0, start, length));
            (inputs, targets) = (placement.Place(inputs), placement.Place(targets));
            context.StepInEpoch = step;
            context.Inputs = inputs;
            context.Targets = targets;
            ForEach(c => c.OnStepStart(context));

            _optimizer.zero_grad();
            // Micro-batches of BatchSize; each loss is weighted by its share, so the summed gradient
            // equals that of the whole step's batch.
            double stepLoss = 0;
            int stepCount = (int)context.Inputs.shape[0];
            for (int micro = 0; micro < stepCount; micro += _options.BatchSize)
            {
                int microLength = Math.Min(_options.BatchSize, stepCount - micro);
                Tensor microInputs = microLength == stepCount ? context.Inputs : context.Inputs.narrow(0, micro, microLength);
                Tensor microTargets = microLength == stepCount ? context.Targets : context.Targets.narrow(0, micro, microLength);
                Tensor output = _model.call(microInputs);
                Tensor loss = _objective.Loss(output, microTargets);
                double lossValue = loss.ToDoubleHeld();
                if (!double.IsFinite(lossValue))
                    throw new TrainingDivergedException(context.Epoch, context.Step, lossValue);
                using (Scalar share = ((double)microLength / stepCount).ToScalar())
                    (microLength == stepCount ? loss : loss.mul(share)).backward();
                stepLoss += lossValue * microLength;
                using (no_grad())
                    _objective.AddMetricSums(output, microTargets, metricSums);
                context.Loss = loss;
            }
            ForEach(c => c.OnAfterBackward(context));

            context.GradientNorm = _options.ClipNorm is double maxNorm
                ? GradientNorm.Clip(context.Parameters, maxNorm)
                : GradientNorm.Compute(context.Parameters);
            ForEach(c => c.OnAfterClipping(context));

            _optimizer.step();
            ForEach(c => c.OnAfterOptimizerStep(context));

            lossSum += stepLoss;
            gradNormSum += context.GradientNorm;
            context.Step++;
            context.Inputs = context.Targets = context.Loss = null;
        }
        return (new Evaluation.Result(lossSum / train.Count, _objective.Finish(metricSums, train.Count)), gradNormSum / context.StepsPerEpoch);
    }

    // The same state a checkpoint holds, less the history: equal fingerprints mean equal end states.
    private string Fingerprint(TrainingContext context, Generator shuffle) => TrainingState.Fingerprint(Capture(context, [], shuffle, runKey: ""));

    private TrainingCheckpoint Capture(TrainingContext context, List<EpochRecord> history, Generator shuffle, string runKey) =>
        // SaveCheckpoints admits only optimizers whose state TorchSharp can save; a fingerprint of another has none.
        TrainingState.Capture(runKey, context, history, _model,
            OptimizerState.CanSave(_optimizer) ? TrainingState.Serialize(writer => OptimizerState.Save(_optimizer, writer)) : [],
            torch.Generator.Default, shuffle, _callbacks);

    private void Restore(TrainingCheckpoint checkpoint, TrainingContext context, Generator shuffle) =>
        TrainingState.Restore(checkpoint, context, _model, reader => OptimizerState.Load(_optimizer, reader), torch.Generator.Default, shuffle, _callbacks);

    private void ForEach(Action<TrainingCallback> moment)
    {
        foreach (TrainingCallback callback in _callbacks)
            moment(callback);
    }
}
