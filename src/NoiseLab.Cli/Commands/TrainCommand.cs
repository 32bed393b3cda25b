using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using NoiseLab.Checkpoints;
using NoiseLab.Cli.Output;
using NoiseLab.Experiments;
using NoiseLab.TensorBoard;
using NoiseLab.Training;
using Spectre.Console;

namespace NoiseLab.Cli.Commands;

/// <summary><c>noiselab train</c>: one training run, with a table (or JSON) of what each epoch measured.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var run = new RunOptions();
        var seed = new Option<long>("--seed") { Description = "Seed for weights, shuffling and noise; the same seed and --threads give the same numbers.", DefaultValueFactory = _ => 0 };
        var noise = new Option<string[]>("--noise") { Description = "Noise plan PLACE:KIND[:key=value,...], repeatable: " + NoiseLab.Noise.NoiseSpec.AcceptedForms };
        var sharpness = new Option<int>("--sharpness") { Description = "Every N epochs (and at the end), measure the top Hessian eigenvalue and the Hessian trace of the training loss on the first 256 training samples; 0 (default) for never.", DefaultValueFactory = _ => 0 };
        var restarts = new Option<int>("--restarts") { Description = "Run N times with seeds SEED, SEED+1, ... and report the best, mean ± std and success rate of the test accuracy (seed 004's tables).", DefaultValueFactory = _ => 1 };
        var successAt = new Option<double>("--success-at") { Description = "With --restarts: the test accuracy a run must reach to count as a success.", DefaultValueFactory = _ => 0.9 };
        var tensorBoard = new Option<string?>("--tensorboard") { Description = "Write TensorBoard event files into this folder: every epoch figure as a scalar at step = epoch, flushed each epoch (tensorboard --logdir DIR). With --restarts, one subfolder seed=N per run.", HelpName = "DIR" };
        var checkpoints = new Option<string?>("--checkpoints") { Description = "Write a checkpoint into this folder after every epoch and, when it already holds one of this run, continue from it: the history ends as if the run had never stopped. With --restarts, one subfolder seed=N per run.", HelpName = "DIR" };
        var earlyStopping = new Option<string?>("--early-stopping") { Description = $"Stop when a figure stops improving (Keras's EarlyStopping): {EarlyStoppingOptions.AcceptedForm}; monitor is val_loss, val_accuracy, train_loss, val_METRIC (e.g. val_mse) or a diagnostic; mode defaults to max for accuracies and F1, min otherwise; restore=true puts back the best epoch's weights before the test split is evaluated. Default: off.", HelpName = "KEY=VALUE,..." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object {test_accuracy, test_loss, history: [...]} on stdout and nothing else; progress goes to stderr." };

        var command = new Command("train", "Train one model on one data set and report each epoch and the final test figures.");
        run.AddTo(command);
        foreach (Option option in new Option[] { seed, noise, sharpness, earlyStopping, restarts, successAt, tensorBoard, checkpoints, json })
            command.Options.Add(option);
        command.SetAction(parsed => CommandRunner.Run(Console.Error, () =>
        {
            RunSpec spec = run.ToRunSpec(parsed);
            spec = spec with
            {
                Noise = parsed.GetValue(noise) ?? [],
                SharpnessEvery = parsed.GetValue(sharpness) >= 0 ? parsed.GetValue(sharpness) : throw new UsageException($"--sharpness must be 0 (never) or a number of epochs; got {parsed.GetValue(sharpness)}."),
                Trainer = spec.Trainer with { Seed = parsed.GetValue(seed) },
                EarlyStopping = parsed.GetValue(earlyStopping) is string stopping ? ParseEarlyStopping(stopping) : null,
            };
            int runs = parsed.GetValue(restarts);
            if (runs < 1)
                throw new UsageException($"--restarts must be at least 1; got {runs}.");
            string? tensorBoardDir = parsed.GetValue(tensorBoard);
            if (tensorBoardDir is not null && string.IsNullOrWhiteSpace(tensorBoardDir))
                throw new UsageException("--tensorboard needs a folder.");
            string? checkpointDir = parsed.GetValue(checkpoints);
            if (checkpointDir is not null && string.IsNullOrWhiteSpace(checkpointDir))
                throw new UsageException("--checkpoints needs a folder.");
            if (tensorBoardDir is not null)
                OutputFolder.Prepare("--tensorboard", tensorBoardDir);
            if (checkpointDir is not null)
                OutputFolder.Prepare("--checkpoints", checkpointDir);
            using var stop = new StopSignals();
            try
            {
                if (runs > 1)
                    return RunRestarts(spec, runs, parsed.GetValue(successAt), parsed.GetValue(json), tensorBoardDir, checkpointDir, stop.Token);
                using TensorBoardLogger? logger = OpenTensorBoard(tensorBoardDir, runId: null);
                TrainingCallback[] observers = [new StopAtStep(stop.Token), .. logger is null ? [] : new TrainingCallback[] { logger }];
                var resume = Resume(spec, checkpointDir);
                return parsed.GetValue(json) ? RunWithJson(spec, observers, resume) : RunWithDisplay(spec, observers, resume);
            }
            catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
            {
                Console.Error.WriteLine(checkpointDir is null
                    ? "noiselab: training stopped on request; nothing was saved (run with --checkpoints DIR to be able to continue a stopped run)."
                    : $"noiselab: training stopped on request; run the same command again to continue from the last checkpoint in '{checkpointDir}'.");
                return ExitCodes.Interrupted;
            }
        }));
        return command;
    }

    private static int RunRestarts(RunSpec spec, int runs, double successAt, bool json, string? tensorBoardDir, string? checkpointDir, CancellationToken stop)
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
            RunSpec seeded = spec with { Trainer = spec.Trainer with { Seed = seed } };
            var (folder, checkpoint) = Resume(seeded, checkpointDir is null ? null : Path.Combine(checkpointDir, $"seed={seed}"));
            TrainingResult result = RunExecutor.Execute(seeded, [new StopAtStep(stop), .. logger is null ? [] : new TrainingCallback[] { logger }], checkpoints: folder, resumeFrom: checkpoint);
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

    /// <summary>The run's checkpoint folder and the checkpoint to continue from, if any.</summary>
    private static (CheckpointFolder? Folder, TrainingCheckpoint? Checkpoint) Resume(RunSpec spec, string? directory)
    {
        if (directory is null)
            return (null, null);
        // The thread count changes the last bits, not the run: a run may continue with another one.
        string key = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(spec with { Threads = 0 })))[..16];
        var folder = new CheckpointFolder(directory, key);
        try
        {
            TrainingCheckpoint? checkpoint = folder.LoadLatest(Console.Error.WriteLine);
            if (checkpoint is not null)
                Console.Error.WriteLine($"resuming after epoch {checkpoint.Epoch} from '{directory}'");
            return (folder, checkpoint);
        }
        catch (CheckpointMismatchException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static int RunWithJson(RunSpec spec, TrainingCallback[] observers, (CheckpointFolder? Folder, TrainingCheckpoint? Checkpoint) resume)
    {
        TrainingResult result = RunExecutor.Execute(spec, [new ProgressLines(Console.Error), .. observers], Console.Error.WriteLine, resume.Folder, resume.Checkpoint);
        Console.Out.WriteLine(ResultJson.Serialize(result));
        return ExitCodes.Success;
    }

    private static int RunWithDisplay(RunSpec spec, TrainingCallback[] observers, (CheckpointFolder? Folder, TrainingCheckpoint? Checkpoint) resume)
    {
        IAnsiConsole console = AnsiConsole.Console;
        TrainingResult result;
        if (console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            result = console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(display => RunExecutor.Execute(spec, [new ProgressBar(display), .. observers], console.WriteLine, resume.Folder, resume.Checkpoint));
        }
        else
        {
            result = RunExecutor.Execute(spec, [new ProgressLines(Console.Out), .. observers], Console.Out.WriteLine, resume.Folder, resume.Checkpoint);
            // A log or pipe has no width to respect; Spectre's 80-column default would wrap the table.
            console.Profile.Width = Math.Max(console.Profile.Width, 160);
        }
        HistoryTable.Write(console, result);
        return ExitCodes.Success;
    }

    private static EarlyStoppingOptions ParseEarlyStopping(string text)
    {
        try
        {
            return EarlyStoppingOptions.Parse(text, "--early-stopping");
        }
        catch (ArgumentException e)
        {
            string sentence = NoiseLab.Configuration.SpecArguments.Sentence(e);
            throw new UsageException($"{(sentence.StartsWith("--early-stopping", StringComparison.Ordinal) ? "" : "--early-stopping: ")}{sentence}; the form is {EarlyStoppingOptions.AcceptedForm}.");
        }
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
}
