using System.CommandLine;
using NoiseLab.Cli.Output;
using NoiseLab.Data;
using NoiseLab.Experiments;
using NoiseLab.Models;
using NoiseLab.Optimization;
using NoiseLab.TensorBoard;
using NoiseLab.Training;
using Spectre.Console;

namespace NoiseLab.Cli.Commands;

/// <summary><c>noiselab train</c>: one training run, with a table (or JSON) of what each epoch measured.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = $"Data set: {string.Join(", ", DataSetCatalog.Names)}; or csv:PATH:column=NAME[,window=30,horizon=1] (forecasting), imdb:FOLDER[:max_len=200] or tsv:TRAIN:test=TEST,labels=A+B (text), conll:FOLDER (tagging), synthetic:majority|adding[:length=20].", DefaultValueFactory = _ => MnistFamily.FashionMnist.Name };
        var dataDir = new Option<string?>("--data-dir") { Description = $"Folder holding the data set's files (or a subfolder named after it). Default: ${DataOptions.EnvironmentVariable}, then {DataFolders.UserCache}, then the system folder (/usr/share/datasets/fashion-mnist from Debian's dataset-fashion-mnist). Missing data is downloaded with a SHA-256 check." };
        var noDownload = new Option<bool>("--no-download") { Description = "Never download: fail if the data is not on disk." };
        var model = new Option<string>("--model") { Description = "Model NAME[:ARGS]: " + string.Join("; ", ModelRegistry.Describe().Select(m => $"{m.Usage} — {m.Description}")) + ".", DefaultValueFactory = _ => "mlp:500,500" };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd, momentum (SGD with momentum 0.9), adam or adamw.", DefaultValueFactory = _ => "momentum" };
        var lr = new Option<double>("--lr") { Description = "Learning rate (> 0).", DefaultValueFactory = _ => 0.05 };
        var lrSchedule = new Option<string>("--lr-schedule") { Description = "Learning-rate schedule, set every step: constant; cosine[:min=R] (anneals to R over the run); step[:every=E,factor=F] (multiplies by F every E epochs); restarts[:every=50,min=1e-6,final=1e-5,mult=1] (seed 002's cosine annealing with restarts whose peak decays to final).", DefaultValueFactory = _ => "constant" };
        var momentum = new Option<double?>("--momentum") { Description = "Momentum in [0, 1) for sgd and momentum. Default: 0 for sgd, 0.9 for momentum." };
        var weightDecay = new Option<double>("--weight-decay") { Description = "Weight decay (>= 0): L2 for sgd, momentum and adam, decoupled for adamw.", DefaultValueFactory = _ => 0.0 };
        var clip = new Option<double?>("--clip") { Description = "Clip the whole gradient to this L2 norm (> 0) before the optimizer step. Default: no clipping." };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training split (>= 1).", DefaultValueFactory = _ => 1 };
        var batchSize = new Option<int>("--batch-size") { Description = "Samples per optimizer step (>= 1).", DefaultValueFactory = _ => 128 };
        var accumulate = new Option<int>("--accumulate") { Description = "Micro-batches of --batch-size per optimizer step (gradient accumulation); noise goes in once per optimizer step.", DefaultValueFactory = _ => 1 };
        var seed = new Option<long>("--seed") { Description = "Seed for weights, shuffling and noise; the same seed and --threads give the same numbers.", DefaultValueFactory = _ => 0 };
        var limitTrain = new Option<int?>("--limit-train") { Description = "Use only the first N samples of the training split, for quick runs." };
        var valSize = new Option<int>("--val-size") { Description = "Validation samples carved from the training file by a fixed seeded permutation.", DefaultValueFactory = _ => ValidationSplit.DefaultSize };
        var evalTrain = new Option<bool>("--eval-train") { Description = "Measure train loss/accuracy with a clean eval-mode pass each epoch instead of averaging the minibatches as trained." };
        var threads = new Option<int>("--threads") { Description = "TorchSharp threads. Default: all cores.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var noise = new Option<string[]>("--noise") { Description = "Noise plan PLACE:KIND[:key=value,...], repeatable: " + NoiseLab.Noise.NoiseSpec.AcceptedForms };
        var augment = new Option<bool>("--augment") { Description = "Augment training images: random crop after 4-pixel zero padding, and horizontal flips (seed 002's CIFAR-10 augmentation)." };
        var sharpness = new Option<int>("--sharpness") { Description = "Every N epochs (and at the end), measure the top Hessian eigenvalue and the Hessian trace of the training loss on the first 256 training samples; 0 (default) for never.", DefaultValueFactory = _ => 0 };
        var restarts = new Option<int>("--restarts") { Description = "Run N times with seeds SEED, SEED+1, ... and report the best, mean ± std and success rate of the test accuracy (seed 004's tables).", DefaultValueFactory = _ => 1 };
        var successAt = new Option<double>("--success-at") { Description = "With --restarts: the test accuracy a run must reach to count as a success.", DefaultValueFactory = _ => 0.9 };
        var tensorBoard = new Option<string?>("--tensorboard") { Description = "Write TensorBoard event files into this folder: every epoch figure as a scalar at step = epoch, flushed each epoch (tensorboard --logdir DIR). With --restarts, one subfolder seed=N per run.", HelpName = "DIR" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object {test_accuracy, test_loss, history: [...]} on stdout and nothing else; progress goes to stderr." };

        var command = new Command("train", "Train one model on one data set and report each epoch and the final test figures.")
        {
            data, dataDir, noDownload, model, optimizer, lr, lrSchedule, momentum, weightDecay, clip,
            epochs, batchSize, accumulate, seed, limitTrain, valSize, evalTrain, threads, noise, augment, sharpness, restarts, successAt, tensorBoard, json,
        };
        command.SetAction(parsed => CommandRunner.Run(Console.Error, () =>
        {
            var spec = new RunSpec
            {
                DataSet = parsed.GetValue(data)!,
                Data = new DataOptions
                {
                    Directory = parsed.GetValue(dataDir),
                    AllowDownload = !parsed.GetValue(noDownload),
                    LimitTrain = Positive(parsed.GetValue(limitTrain), "--limit-train"),
                    Validation = new ValidationSplit(Positive(parsed.GetValue(valSize), "--val-size")!.Value),
                },
                Model = ModelSpec.Parse(parsed.GetValue(model)!),
                Optimizer = new OptimizerSpec(
                    OptimizerSpec.ParseKind(parsed.GetValue(optimizer)!),
                    parsed.GetValue(lr),
                    parsed.GetValue(momentum),
                    parsed.GetValue(weightDecay)),
                LearningRateSchedule = parsed.GetValue(lrSchedule)!,
                Noise = parsed.GetValue(noise) ?? [],
                Augment = parsed.GetValue(augment),
                SharpnessEvery = parsed.GetValue(sharpness) >= 0 ? parsed.GetValue(sharpness) : throw new UsageException($"--sharpness must be 0 (never) or a number of epochs; got {parsed.GetValue(sharpness)}."),
                Trainer = new TrainerOptions
                {
                    Epochs = parsed.GetValue(epochs),
                    BatchSize = parsed.GetValue(batchSize),
                    AccumulationSteps = parsed.GetValue(accumulate),
                    Seed = parsed.GetValue(seed),
                    ClipNorm = parsed.GetValue(clip),
                    EvaluateTrainingSet = parsed.GetValue(evalTrain),
                },
                Threads = Positive(parsed.GetValue(threads), "--threads")!.Value,
            };
            spec.Trainer.Validate();
            int runs = parsed.GetValue(restarts);
            if (runs < 1)
                throw new UsageException($"--restarts must be at least 1; got {runs}.");
            string? tensorBoardDir = parsed.GetValue(tensorBoard);
            if (tensorBoardDir is not null && string.IsNullOrWhiteSpace(tensorBoardDir))
                throw new UsageException("--tensorboard needs a folder.");
            if (runs > 1)
                return RunRestarts(spec, runs, parsed.GetValue(successAt), parsed.GetValue(json), tensorBoardDir);
            using TensorBoardLogger? logger = OpenTensorBoard(tensorBoardDir, runId: null);
            TrainingCallback[] observers = logger is null ? [] : [logger];
            return parsed.GetValue(json) ? RunWithJson(spec, observers) : RunWithDisplay(spec, observers);
        }));
        return command;
    }

    private static int RunRestarts(RunSpec spec, int runs, double successAt, bool json, string? tensorBoardDir)
    {
        if (!(successAt >= 0 && successAt <= 1))
            throw new UsageException($"--success-at is a test accuracy between 0 and 1; got {successAt}.");
        var results = new List<(long Seed, TrainingResult Result)>();
        for (int i = 0; i < runs; i++)
        {
            long seed = spec.Trainer.Seed + i;
            Console.Error.WriteLine($"restart {i + 1}/{runs}: seed {seed}");
            // Each seed is its own TensorBoard run, so the restarts chart side by side.
            using TensorBoardLogger? logger = OpenTensorBoard(tensorBoardDir, $"seed={seed}");
            TrainingResult result = RunExecutor.Execute(spec with { Trainer = spec.Trainer with { Seed = seed } }, logger is null ? [] : [logger]);
            if (result.TestAccuracy is null)
                throw new UsageException("--restarts reports test accuracy, which this task (forecasting) does not have; run the seeds one by one with --seed.");
            results.Add((seed, result));
        }
        var summary = RestartSummary.Of([.. results.Select(r => r.Result.TestAccuracy!.Value)], successAt);
        if (json)
        {
            Console.Out.WriteLine(ResultJson.Serialize(summary, results));
            return ExitCodes.Success;
        }
        HistoryTable.WriteRestarts(AnsiConsole.Console, summary, results);
        return ExitCodes.Success;
    }

    private static int RunWithJson(RunSpec spec, TrainingCallback[] observers)
    {
        TrainingResult result = RunExecutor.Execute(spec, [new ProgressLines(Console.Error), .. observers], Console.Error.WriteLine);
        Console.Out.WriteLine(ResultJson.Serialize(result));
        return ExitCodes.Success;
    }

    private static int RunWithDisplay(RunSpec spec, TrainingCallback[] observers)
    {
        IAnsiConsole console = AnsiConsole.Console;
        TrainingResult result;
        if (console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            result = console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(display => RunExecutor.Execute(spec, [new ProgressBar(display), .. observers], console.WriteLine));
        }
        else
        {
            result = RunExecutor.Execute(spec, [new ProgressLines(Console.Out), .. observers], Console.Out.WriteLine);
            // A log or pipe has no width to respect; Spectre's 80-column default would wrap the table.
            console.Profile.Width = Math.Max(console.Profile.Width, 160);
        }
        HistoryTable.Write(console, result);
        return ExitCodes.Success;
    }

    // A folder that cannot be written is the user's to fix, so it is a usage error, not a failure with a trace.
    private static TensorBoardLogger? OpenTensorBoard(string? directory, string? runId)
    {
        if (directory is null)
            return null;
        try
        {
            return runId is null ? new TensorBoardLogger(directory) : TensorBoardLogger.ForRun(directory, runId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--tensorboard: cannot write an event file into '{directory}': {e.Message}");
        }
    }

    private static int? Positive(int? value, string option) =>
        value is <= 0 ? throw new UsageException($"{option} must be a positive number; got {value}.") : value;
}
