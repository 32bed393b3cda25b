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
        var seed = new Option<long>("--seed") { Description = "Seed for weights, shuffling and noise; the same seed and --threads give the same numbers (with --restarts, bit for bit at --threads 1).", DefaultValueFactory = _ => 0 };
        var noise = new Option<string[]>("--noise") { Description = "Noise plan PLACE:KIND[:key=value,...], repeatable: " + NoiseLab.Noise.NoiseSpec.AcceptedForms };
        var sharpness = new Option<int>("--sharpness") { Description = "Every N epochs (and at the end), measure the top Hessian eigenvalue and the Hessian trace of the training loss on the first 256 training samples; 0 (default) for never.", DefaultValueFactory = _ => 0 };
        var restarts = new Option<int>("--restarts") { Description = "Run N times with seeds SEED, SEED+1, ... and report the best, mean ± std and success rate of the test accuracy (seed 004's tables). The MLP family trains them stacked, as one model, each exactly its own seed's run; a restart that diverges is counted as a failure and the others go on.", DefaultValueFactory = _ => 1 };
        var oneAtATime = new Option<bool>("--one-at-a-time") { Description = "With --restarts: train the restarts one after another instead of stacked." };
        var successAt = new Option<double>("--success-at") { Description = "With --restarts: the test accuracy a run must reach to count as a success.", DefaultValueFactory = _ => 0.9 };
        var tensorBoard = new Option<string?>("--tensorboard") { Description = "Write TensorBoard event files into this folder: every epoch figure as a scalar at step = epoch, flushed each epoch (tensorboard --logdir DIR). With --restarts, one subfolder seed=N per run.", HelpName = "DIR" };
        var histograms = new Option<bool>("--tensorboard-histograms") { Description = "With --tensorboard: also write, each epoch, a histogram of every parameter, of its last gradient (after clipping and gradient noise) and of the noise each injector drew at the last step." };
        var checkpoints = new Option<string?>("--checkpoints") { Description = "Write a checkpoint into this folder after every epoch and, when it already holds one of this run, continue from it: the history ends as if the run had never stopped. With --restarts, one subfolder seed=N per run.", HelpName = "DIR" };
        var earlyStopping = new Option<string?>("--early-stopping") { Description = $"Stop when a figure stops improving (Keras's EarlyStopping): {EarlyStoppingOptions.AcceptedForm}; monitor is val_loss, val_accuracy, train_loss, val_METRIC (e.g. val_mse) or a diagnostic; mode defaults to max for accuracies and F1, min otherwise; restore=true puts back the best epoch's weights before the test split is evaluated. Default: off.", HelpName = "KEY=VALUE,..." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object {test_accuracy, test_loss, history: [...], generator} on stdout and nothing else; progress goes to stderr." };

        var command = new Command("train", "Train one model on one data set and report each epoch and the final test figures.");
        run.AddTo(command);
        foreach (Option option in new Option[] { seed, noise, sharpness, earlyStopping, restarts, oneAtATime, successAt, tensorBoard, histograms, checkpoints, json })
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
            if (tensorBoardDir is null && parsed.GetValue(histograms))
                throw new UsageException("--tensorboard-histograms needs --tensorboard DIR, the folder to write them into.");
            var tensorBoardRun = tensorBoardDir is null ? null : new TensorBoardRun(tensorBoardDir, parsed.GetValue(histograms));
            string? checkpointDir = parsed.GetValue(checkpoints);
            if (checkpointDir is not null && string.IsNullOrWhiteSpace(checkpointDir))
                throw new UsageException("--checkpoints needs a folder.");
            if (tensorBoardDir is not null)
                OutputFolder.Prepare("--tensorboard", tensorBoardDir);
            if (checkpointDir is not null)
                OutputFolder.Prepare("--checkpoints", checkpointDir);
            using var stop = new StopSignals(trainsOnThisThread: true);
            try
            {
                if (runs > 1)
                    return RunRestarts(spec, runs, parsed.GetValue(successAt), parsed.GetValue(json), tensorBoardRun, checkpointDir, parsed.GetValue(oneAtATime), stop.Token);
                using TensorBoardLogger? logger = tensorBoardRun?.Open(spec, runId: null);
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

    private static int RunRestarts(RunSpec spec, int runs, double successAt, bool json, TensorBoardRun? tensorBoard, string? checkpointDir, bool oneAtATime, CancellationToken stop)
    {
        if (!(successAt >= 0 && successAt <= 1))
            throw new UsageException($"--success-at is a test accuracy between 0 and 1; got {successAt}.");
        RunRequirements.Check(spec);
        RunSpec[] seeded = [.. Enumerable.Range(0, runs).Select(i => spec with { Trainer = spec.Trainer with { Seed = spec.Trainer.Seed + i } })];
        var loggers = new List<TensorBoardLogger>();
        var ended = new List<(long Seed, TrainingResult? Result, TrainingDivergedException? Diverged)>();
        try
        {
            // Each seed is its own TensorBoard run and checkpoint folder, so the restarts chart side by side and resume alike.
            TrainingCallback[] Observers(RunSpec run)
            {
                TensorBoardLogger? logger = tensorBoard?.Open(run, $"seed={run.Trainer.Seed}");
                if (logger is not null)
                    loggers.Add(logger);
                return [new StopAtStep(stop), .. logger is null ? [] : new TrainingCallback[] { logger }];
            }
            string? FolderOf(RunSpec run) => checkpointDir is null ? null : Path.Combine(checkpointDir, $"seed={run.Trainer.Seed}");
            if (!oneAtATime && runs > 1 && StackedRunExecutor.CanStack(spec))
            {
                foreach (RunSpec[] chunk in seeded.Chunk(StackedMemory.MaxReplicas(spec, new StackingOptions())))
                    ended.AddRange(RunStacked(chunk, runs, Observers, FolderOf));
            }
            else
            {
                for (int i = 0; i < runs; i++)
                {
                    Console.Error.WriteLine($"restart {i + 1}/{runs}: seed {seeded[i].Trainer.Seed}");
                    var (folder, checkpoint) = Resume(seeded[i], FolderOf(seeded[i]));
                    try
                    {
                        ended.Add((seeded[i].Trainer.Seed, RunExecutor.Execute(seeded[i], Observers(seeded[i]), checkpoints: folder, resumeFrom: checkpoint), null));
                    }
                    catch (TrainingDivergedException e)
                    {
                        ended.Add((seeded[i].Trainer.Seed, null, e));
                    }
                }
            }
        }
        finally
        {
            foreach (TensorBoardLogger logger in loggers)
                logger.Dispose();
        }
        if (ended.All(e => e.Result is null))
            throw ended[0].Diverged!;
        if (ended.Any(e => e.Result is { TestAccuracy: null }))
            throw new UsageException("--restarts reports test accuracy, which this task (forecasting) does not have; run the seeds one by one with --seed.");
        foreach (var (seed, _, diverged) in ended.Where(e => e.Diverged is not null))
            Console.Error.WriteLine($"restart with seed {seed}: {diverged!.Message}");
        var finished = ended.Where(e => e.Result is not null).Select(e => (e.Seed, e.Result!)).ToList();
        var summary = RestartSummary.Of([.. finished.Select(r => r.Item2.TestAccuracy!.Value)], successAt, ended.Count(e => e.Diverged is not null));
        var rows = ended.Select(e => (e.Seed, e.Result, e.Diverged?.Message)).ToList();
        if (json)
        {
            Console.Out.WriteLine(ResultJson.Serialize(summary, rows, spec.Trainer.NoiseGenerator));
            return ExitCodes.Success;
        }
        HistoryTable.WriteRestarts(AnsiConsole.Console, summary, rows);
        return ExitCodes.Success;
    }

    // Restarts of the MLP family as one stacked run; each resumes from its own seed's checkpoint folder.
    private static IEnumerable<(long Seed, TrainingResult? Result, TrainingDivergedException? Diverged)> RunStacked(RunSpec[] chunk, int runs,
        Func<RunSpec, TrainingCallback[]> observers, Func<RunSpec, string?> folderOf)
    {
        long first = chunk[0].Trainer.Seed, last = chunk[^1].Trainer.Seed;
        var resumed = chunk.Select(run => Resume(run, folderOf(run), announce: false)).ToList();
        int epoch = 0;
        TrainingCheckpoint?[] starts = [.. resumed.Select(r => r.Checkpoint)];
        if (resumed.Any(r => r.Folder is not null))
        {
            var (common, replicas) = StackedResumption.Choose([.. resumed.Select(r => (r.Folder!, r.Checkpoint))], Console.Error.WriteLine);
            if (replicas.Any(r => !r.Joins))
                throw new UsageException($"The checkpoints of seeds {first}-{last} are of epochs too far apart to continue together; delete the seed=N folders that are behind, or continue with --one-at-a-time.");
            (epoch, starts) = (common, [.. replicas.Select(r => r.Start)]);
        }
        Console.Error.WriteLine($"restarts with seeds {first}-{last} of {runs}: trained stacked{(epoch > 0 ? $", resuming after epoch {epoch}" : "")}");
        TrainingCallback[][] callbacks = [.. chunk.Select(observers)];
        var outcomes = StackedRunExecutor.Execute(chunk, slot => callbacks[slot], Console.Error.WriteLine, [.. resumed.Select(r => r.Folder)], starts);
        foreach (ReplicaOutcome outcome in outcomes.OfType<ReplicaOutcome>())
        {
            if (outcome.Error is { } error and not TrainingDivergedException)
                throw error;
            yield return (outcome.Seed, outcome.Result, outcome.Error as TrainingDivergedException);
        }
    }

    /// <summary>The run's checkpoint folder and the checkpoint to continue from, if any.</summary>
    private static (CheckpointFolder? Folder, TrainingCheckpoint? Checkpoint) Resume(RunSpec spec, string? directory, bool announce = true)
    {
        if (directory is null)
            return (null, null);
        // The thread count changes the last bits, not the run: a run may continue with another one.
        string key = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(spec with { Threads = 0 })))[..16];
        var folder = new CheckpointFolder(directory, key);
        try
        {
            TrainingCheckpoint? checkpoint = folder.LoadLatest(Console.Error.WriteLine);
            // Before anything loads or trains: a checkpoint drawn with another generator would mix two noise streams.
            if (checkpoint is not null && checkpoint.GeneratorMismatch(spec.Trainer.NoiseGenerator) is not null)
            {
                throw new UsageException(NoiseLab.Randomness.NoiseGenerator.TryFind(checkpoint.NoiseGenerator, out _)
                    ? $"The checkpoints in '{directory}' were drawn with noise generator {checkpoint.NoiseGenerator}, and this run draws with {spec.Trainer.NoiseGenerator.Name}; run it with --generator {checkpoint.NoiseGenerator} to continue it, or pass another --checkpoints folder to start afresh."
                    : $"The checkpoints in '{directory}' were drawn with noise generator {checkpoint.NoiseGenerator}, which this NoiseLab does not know, and this run draws with {spec.Trainer.NoiseGenerator.Name}; pass another --checkpoints folder to start afresh.");
            }
            if (checkpoint is not null && announce)
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
        Console.Out.WriteLine(ResultJson.Serialize(result, spec.Trainer.NoiseGenerator));
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
}
