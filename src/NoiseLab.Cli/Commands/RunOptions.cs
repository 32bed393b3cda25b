using System.CommandLine;
using NoiseLab.Data;
using NoiseLab.Experiments;
using NoiseLab.Models;
using NoiseLab.Optimization;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Cli.Commands;

/// <summary>
/// The options that define a run's data, model, optimizer and training loop, shared by the commands
/// that train (<c>train</c>, <c>tune</c>): one definition, one set of defaults and one way of turning
/// them into a <see cref="RunSpec"/>. Seeds and noise plans are each command's own.
/// </summary>
internal sealed class RunOptions
{
    public Option<string> Data { get; } = new("--data") { Description = $"Data set: {string.Join(", ", DataSetCatalog.Names)}; or csv:PATH:column=NAME[,window=30,horizon=1] (forecasting), imdb:FOLDER[:max_len=200] or tsv:TRAIN:test=TEST,labels=A+B (text), conll:FOLDER (tagging), synthetic:majority|adding[:length=20] or synthetic:sentiment[:length=64,vocab=1000].", DefaultValueFactory = _ => MnistFamily.FashionMnist.Name };

    public Option<string?> DataDir { get; } = new("--data-dir") { Description = $"Folder holding the data set's files (or a subfolder named after it). Default: ${DataOptions.EnvironmentVariable}, then {DataFolders.UserCache}, then the system folder (/usr/share/datasets/fashion-mnist from Debian's dataset-fashion-mnist). Missing data is downloaded with a SHA-256 check." };

    public Option<bool> NoDownload { get; } = new("--no-download") { Description = "Never download: fail if the data is not on disk." };

    public Option<string> Model { get; } = new("--model") { Description = "Model NAME[:ARGS]: " + string.Join("; ", ModelRegistry.Describe().Select(m => $"{m.Usage} — {m.Description}")) + ".", DefaultValueFactory = _ => "mlp:500,500" };

    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "sgd, momentum (SGD with momentum 0.9), adam or adamw.", DefaultValueFactory = _ => "momentum" };

    public Option<double> LearningRate { get; } = new("--lr") { Description = "Learning rate (> 0).", DefaultValueFactory = _ => 0.05 };

    public Option<string> LearningRateSchedule { get; } = new("--lr-schedule") { Description = "Learning-rate schedule, set every step: constant; cosine[:min=R] (anneals to R over the run); step[:every=E,factor=F] (multiplies by F every E epochs); restarts[:every=50,min=1e-6,final=1e-5,mult=1] (seed 002's cosine annealing with restarts whose peak decays to final).", DefaultValueFactory = _ => "constant" };

    public Option<double?> Momentum { get; } = new("--momentum") { Description = "Momentum in [0, 1) for sgd and momentum. Default: 0 for sgd, 0.9 for momentum." };

    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "Weight decay (>= 0): L2 for sgd, momentum and adam, decoupled for adamw.", DefaultValueFactory = _ => 0.0 };

    public Option<double?> Clip { get; } = new("--clip") { Description = "Clip the whole gradient to this L2 norm (> 0) before the optimizer step. Default: no clipping." };

    public Option<int> Epochs { get; } = new("--epochs") { Description = "Passes over the training split (>= 1).", DefaultValueFactory = _ => 1 };

    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Samples per optimizer step (>= 1).", DefaultValueFactory = _ => 128 };

    public Option<int> Accumulate { get; } = new("--accumulate") { Description = "Micro-batches of --batch-size per optimizer step (gradient accumulation); noise goes in once per optimizer step.", DefaultValueFactory = _ => 1 };

    public Option<int?> LimitTrain { get; } = new("--limit-train") { Description = "Use only the first N samples of the training split, for quick runs." };

    public Option<int?> ValidationSize { get; } = new("--val-size") { Description = $"Validation samples carved from the training file by a fixed seeded permutation. Default: {ValidationSplit.DefaultSize} ({Mnist10k.DefaultValidationSize} for {Mnist10k.Name})." };

    public Option<bool> EvaluateTrain { get; } = new("--eval-train") { Description = "Measure train loss/accuracy with a clean eval-mode pass each epoch instead of averaging the minibatches as trained." };

    public Option<int> Threads { get; } = new("--threads") { Description = "TorchSharp threads. Default: all cores.", DefaultValueFactory = _ => Environment.ProcessorCount };

    public Option<string> Device { get; } = new("--device") { Description = "Where to train: cpu, or cuda / cuda:N (needs a CUDA build of libtorch; this build of noiselab carries the CPU one).", DefaultValueFactory = _ => "cpu" };

    public Option<string> DType { get; } = new("--dtype") { Description = "The model's floating dtype: float32 or float64 (batches follow it; noise on float64 takes the generic path).", DefaultValueFactory = _ => "float32" };

    public Option<string?> Generator { get; } = GeneratorOption.Create();

    public Option<bool> Augment { get; } = new("--augment") { Description = "Augment training images: random crop after 4-pixel zero padding, and horizontal flips (seed 002's CIFAR-10 augmentation)." };

    /// <summary>Every option above, in the order help lists them.</summary>
    public IEnumerable<Option> All =>
    [
        Data, DataDir, NoDownload, Model, Optimizer, LearningRate, LearningRateSchedule, Momentum, WeightDecay, Clip,
        Epochs, BatchSize, Accumulate, LimitTrain, ValidationSize, EvaluateTrain, Threads, Device, DType, Augment, Generator,
    ];

    /// <summary>Adds <see cref="All"/> to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in All)
            command.Options.Add(option);
    }

    /// <summary>The run the parsed options describe, with seed 0 and no noise; the trainer options are validated.</summary>
    /// <exception cref="UsageException">A count that must be positive is not.</exception>
    public RunSpec ToRunSpec(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        // Ranges first: a value that sizes memory or overflows training is refused before anything is built.
        NumericLimits.Real(parsed.GetValue(LearningRate), "--lr", 0, NumericLimits.MaxLearningRate, exclusiveMin: true);
        if (parsed.GetValue(Momentum) is double momentum)
            NumericLimits.Real(momentum, "--momentum", 0, 0.999_999, exclusiveMin: false);
        NumericLimits.Real(parsed.GetValue(WeightDecay), "--weight-decay", 0, NumericLimits.MaxScale, exclusiveMin: false);
        if (parsed.GetValue(Clip) is double clip)
            NumericLimits.Real(clip, "--clip", 0, NumericLimits.MaxScale, exclusiveMin: true);
        NumericLimits.Whole(parsed.GetValue(Epochs), "--epochs", 1, NumericLimits.MaxEpochs);
        NumericLimits.Whole(parsed.GetValue(BatchSize), "--batch-size", 1, NumericLimits.MaxBatch);
        NumericLimits.Whole(parsed.GetValue(Accumulate), "--accumulate", 1, NumericLimits.MaxBatch);
        if (parsed.GetValue(LimitTrain) is int limitTrain)
            NumericLimits.Whole(limitTrain, "--limit-train", 1, int.MaxValue);
        if (parsed.GetValue(ValidationSize) is int validationSize)
            NumericLimits.Whole(validationSize, "--val-size", 1, int.MaxValue);
        MachineLimits.CheckThreads(parsed.GetValue(Threads));
        var spec = new RunSpec
        {
            DataSet = parsed.GetValue(Data)!,
            Data = new DataOptions
            {
                Directory = parsed.GetValue(DataDir),
                AllowDownload = !parsed.GetValue(NoDownload),
                LimitTrain = Positive(parsed.GetValue(LimitTrain), "--limit-train"),
                Validation = new ValidationSplit(Positive(parsed.GetValue(ValidationSize), "--val-size") ?? DataSetCatalog.DefaultValidationSize(parsed.GetValue(Data)!)),
            },
            Model = ModelSpec.Parse(parsed.GetValue(Model)!),
            Optimizer = new OptimizerSpec(
                OptimizerSpec.ParseKind(parsed.GetValue(Optimizer)!),
                parsed.GetValue(LearningRate),
                parsed.GetValue(Momentum),
                parsed.GetValue(WeightDecay)),
            LearningRateSchedule = parsed.GetValue(LearningRateSchedule)!,
            Augment = parsed.GetValue(Augment),
            Trainer = new TrainerOptions
            {
                Epochs = parsed.GetValue(Epochs),
                BatchSize = parsed.GetValue(BatchSize),
                AccumulationSteps = parsed.GetValue(Accumulate),
                ClipNorm = parsed.GetValue(Clip),
                EvaluateTrainingSet = parsed.GetValue(EvaluateTrain),
                NoiseGenerator = GeneratorOption.Parse(parsed.GetValue(Generator)) ?? NoiseLab.Randomness.NoiseGenerator.Default,
            },
            Threads = parsed.GetValue(Threads),
            Device = DeviceOf(parsed.GetValue(Device)!),
            DType = DTypeOf(parsed.GetValue(DType)!),
        };
        MachineLimits.CheckThreads(spec.Threads);
        spec.Trainer.Validate();
        return spec;
    }

    // Checked before anything loads (RunPlacement); a wrong value is the user's to fix.
    private static string DeviceOf(string text) => Usage(() => RunPlacement.Device(text, "--device"));

    private static ScalarType DTypeOf(string text) => Usage(() => RunPlacement.DType(text, "--dtype"));

    private static T Usage<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static int? Positive(int? value, string option) =>
        value is <= 0 ? throw new UsageException($"{option} must be a positive number; got {value}.") : value;
}
