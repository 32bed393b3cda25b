using System.CommandLine;
using System.Globalization;
using NoiseLab.Checkpoints;
using NoiseLab.Cli.Output;
using NoiseLab.Experiments;

namespace NoiseLab.Cli.Commands;

/// <summary>
/// <c>noiselab sweep SPEC</c>: runs a grid into a crash-safe store, skipping what is done and resuming
/// what was interrupted; <c>--jobs N</c> runs N worker processes here, <c>--shard I/N</c> takes this
/// machine's share of the grid, and a postgres:// store lets workers on many machines share one sweep.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "The sweep spec (YAML; see experiments/README.md)." };
        var store = new Option<string?>("--store") { Description = "The store: an SQLite file (default: results/NAME.db) or postgres://user:password@host:port/database. Finished runs in it are skipped." };
        var jobs = new Option<int>("--jobs") { Description = "Worker processes on this machine; the cores are split between them.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "TorchSharp threads per worker. Default: the cores divided by --jobs." };
        var shard = new Option<string?>("--shard") { Description = "I/N: run only the I-th of N shares of the grid (1 <= I <= N), e.g. from a Slurm array task or a Kubernetes Indexed Job." };
        var checkpoints = new Option<string?>("--checkpoints") { Description = "Folder for the runs' checkpoints (default: beside an SQLite store, STORE.checkpoints; with PostgreSQL, results/checkpoints). Put it on storage every worker sees." };
        var lease = new Option<int>("--lease") { Description = "Seconds a worker's heartbeat may be silent before another worker takes over its run.", DefaultValueFactory = _ => 120 };
        var tensorBoard = new Option<string?>("--tensorboard") { Description = "Write TensorBoard event files: one folder per run under DIR/SWEEP/." };
        var histograms = new Option<bool>("--tensorboard-histograms") { Description = "With --tensorboard: also write, each epoch, a histogram of every parameter, of its last gradient and of the noise each injector drew at the last step." };
        var generator = GeneratorOption.Create();
        var retryFailed = new Option<bool>("--retry-failed") { Description = "Train the runs stored as failed again, from their first epoch (once their cause is fixed); a sweep otherwise leaves them as they are." };
        var worker = new Option<bool>("--worker") { Description = "Run as one of --jobs' worker processes (no summary line).", Hidden = true };
        var command = new Command("sweep", "Run every run of a sweep spec that the store does not hold yet, storing each epoch and the final figures; interrupted runs resume from their last checkpoint.")
        {
            spec, store, jobs, threads, shard, checkpoints, lease, tensorBoard, histograms, generator, retryFailed, worker,
        };
        command.SetAction(parsed => CommandRunner.Run(Console.Error, () =>
        {
            string path = parsed.GetValue(spec)!;
            SweepSpec sweep = SweepSpec.Load(path);
            if (GeneratorOption.Parse(parsed.GetValue(generator)) is { } chosen)
                sweep = sweep.WithNoiseGenerator(chosen);
            int jobCount = parsed.GetValue(jobs);
            if (jobCount < 1 || jobCount > MachineLimits.MaxJobs)
                throw new UsageException($"--jobs must be from 1 to {MachineLimits.MaxJobs} ({MachineLimits.PerCore} per core on this machine's {Environment.ProcessorCount}); got {jobCount}. Use --shard to spread a sweep over machines.");
            int threadCount = parsed.GetValue(threads) ?? Math.Max(1, Environment.ProcessorCount / jobCount);
            MachineLimits.CheckThreads(threadCount);
            var (shardIndex, shardCount) = ParseShard(parsed.GetValue(shard));
            if (parsed.GetValue(histograms) && parsed.GetValue(tensorBoard) is null)
                throw new UsageException("--tensorboard-histograms needs --tensorboard DIR, the folder to write them into.");
            int leaseSeconds = parsed.GetValue(lease);
            if (leaseSeconds < 10 || leaseSeconds > 86_400)
                throw new UsageException($"--lease must be from 10 to 86400 seconds (a day); got {leaseSeconds}.");
            // A worker gets the store from its parent's environment, so that a password never shows in its command line.
            string storeLocation = parsed.GetValue(worker) && Environment.GetEnvironmentVariable(WorkerStoreVariable) is { Length: > 0 } inherited ? inherited
                : parsed.GetValue(store) ?? DefaultStore(sweep.Name);
            string checkpointRoot = parsed.GetValue(checkpoints)
                ?? (RunStore.IsPostgres(storeLocation) ? Path.Combine("results", "checkpoints") : storeLocation + ".checkpoints");
            string shownStore = StoreLocation.Redact(storeLocation);
            string specText = File.ReadAllText(path);

            // With workers this process only supervises them; alone, it trains on this thread.
            using var stop = new StopSignals(trainsOnThisThread: jobCount == 1);
            // Checked before any run trains (a checkpoint that cannot be written would stop the first run after an
            // epoch), and a folder given is checked before the store is made; the default one beside the store after it.
            if (parsed.GetValue(checkpoints) is not null)
                OutputFolder.Prepare("--checkpoints", checkpointRoot);
            if (parsed.GetValue(tensorBoard) is string tensorBoardRoot)
                OutputFolder.Prepare("--tensorboard", tensorBoardRoot);
            using RunStore runStore = RunStore.Open(storeLocation, Console.Error.WriteLine);
            if (parsed.GetValue(checkpoints) is null)
                OutputFolder.Prepare("--checkpoints", checkpointRoot);
            if (parsed.GetValue(retryFailed) && !parsed.GetValue(worker))
            {
                runStore.Register(sweep, specText);
                int retried = runStore.RetryFailed(sweep.Name, shardIndex, shardCount).Count;
                Console.Error.WriteLine($"noiselab: --retry-failed: {retried} failed run(s) train again from their first epoch.");
            }
            SweepOutcome outcome;
            int exitCode = ExitCodes.Success;
            if (jobCount == 1)
            {
                using var progress = parsed.GetValue(worker) ? null : new SweepProgress(storeLocation, sweep, shardIndex, shardCount, Console.Error);
                outcome = SweepRunner.Run(sweep, specText, runStore, new SweepOptions
                {
                    Threads = threadCount,
                    Shard = shardIndex,
                    Shards = shardCount,
                    CheckpointRoot = checkpointRoot,
                    TensorBoardRoot = parsed.GetValue(tensorBoard),
                    TensorBoardHistograms = parsed.GetValue(histograms),
                    StaleAfter = TimeSpan.FromSeconds(leaseSeconds),
                    HeartbeatEvery = TimeSpan.FromSeconds(Math.Max(1, leaseSeconds / 6)),
                    Stop = stop.Token,
                    Log = Console.Error.WriteLine,
                });
            }
            else
            {
                // Registered here, before the workers start, so that the counts below see every run.
                runStore.Register(sweep, specText);
                var before = runStore.Runs(sweep.Name).Where(r => SweepSpec.InShard(r.Position, shardIndex, shardCount)).ToList();
                // More workers than runs left would only start processes that find nothing to do.
                int left = before.Count(r => r.Status is not (RunStatus.Finished or RunStatus.Diverged or RunStatus.Failed));
                if (left < jobCount)
                {
                    Console.Error.WriteLine($"noiselab: --jobs {jobCount}: only {left} run(s) are left to train, so {Math.Max(1, left)} worker(s) start.");
                    jobCount = Math.Max(1, left);
                }
                using var progress = new SweepProgress(storeLocation, sweep, shardIndex, shardCount, Console.Error);
                string[] arguments =
                [
                    "sweep", path, "--store", shownStore, "--jobs", "1", "--threads", threadCount.ToString(CultureInfo.InvariantCulture),
                    "--checkpoints", checkpointRoot, "--lease", leaseSeconds.ToString(CultureInfo.InvariantCulture), "--worker",
                    .. parsed.GetValue(shard) is string s ? new[] { "--shard", s } : [],
                    .. parsed.GetValue(tensorBoard) is string t ? new[] { "--tensorboard", t } : [],
                    .. parsed.GetValue(histograms) ? new[] { "--tensorboard-histograms" } : [],
                    .. parsed.GetValue(generator) is string g ? new[] { "--generator", g } : [],
                ];
                int[] exits = WorkerProcesses.RunAll(jobCount, arguments, new Dictionary<string, string> { [WorkerStoreVariable] = storeLocation }, stop.Token);
                // A worker killed mid-run could not settle its run; it is interrupted, not running, and resumes later.
                int orphans = runStore.InterruptDeadWorkersHere(sweep.Name).Count;
                int[] killed = [.. exits.Where(code => code is not (ExitCodes.Success or ExitCodes.Failure or ExitCodes.BadInput or ExitCodes.Interrupted))];
                var after = runStore.Runs(sweep.Name).Where(r => SweepSpec.InShard(r.Position, shardIndex, shardCount)).ToList();
                // A worker that dies after the last run is stored (the kernel's OOM killer at exit) has lost nothing: it is
                // reported, but the sweep's job is done, so it does not fail the sweep or a script that runs export next.
                // Read after the dead workers' runs were marked interrupted, so those count here.
                bool lostWork = after.Any(r => r.Status is RunStatus.Pending or RunStatus.Interrupted);
                if (killed.Length > 0)
                {
                    string how = $"{killed.Length} worker process(es) ended abnormally (exit {string.Join(", ", killed)}{(killed.Any(k => k > 128) ? $", signal {string.Join(", ", killed.Where(k => k > 128).Select(k => k - 128))}" : "")})";
                    Console.Error.WriteLine(lostWork
                        ? $"noiselab: {how}; {orphans} run(s) they held are marked interrupted and resume from their last checkpoint on the next sweep."
                        : $"noiselab: {how} after every run of the sweep was stored; nothing is lost, but the machine's log (dmesg) says why, e.g. memory.");
                }
                exitCode = killed.Length > 0 && lostWork ? ExitCodes.Failure : exits.Where(code => !killed.Contains(code)).DefaultIfEmpty(ExitCodes.Success).Max();
                int Count(IEnumerable<StoredRun> runs, string status) => runs.Count(r => r.Status == status);
                outcome = new SweepOutcome(
                    Count(after, RunStatus.Finished) - Count(before, RunStatus.Finished), Count(before, RunStatus.Finished),
                    Count(after, RunStatus.Diverged) - Count(before, RunStatus.Diverged), Count(after, RunStatus.Failed) - Count(before, RunStatus.Failed),
                    Count(after, RunStatus.Interrupted)) { Pruned = Count(after, RunStatus.Pruned) - Count(before, RunStatus.Pruned) };
            }
            if (parsed.GetValue(worker))
                FaultInjection.Hit("worker-exit");
            else
            {
                int total = sweep.RunsOfShard(shardIndex, shardCount).Count();
                string share = shardCount == 1 ? "" : $" (shard {shardIndex + 1}/{shardCount})";
                string interrupted = outcome.Interrupted > 0 ? $", {outcome.Interrupted} interrupted" : "";
                string pruned = outcome.Pruned > 0 ? $", {outcome.Pruned} pruned" : "";
                // Runs another live worker holds are neither trained here nor done: say so, or the counts do not add up.
                int elsewhere = runStore.Runs(sweep.Name).Count(r => r.Status == RunStatus.Running && SweepSpec.InShard(r.Position, shardIndex, shardCount));
                string held = elsewhere > 0 ? $", {elsewhere} held by another worker" : "";
                Console.Out.WriteLine($"sweep {sweep.Name}{share}: {total} runs, {outcome.Trained} trained now, {outcome.AlreadyDone} already done, {outcome.Diverged} diverged{pruned}, {outcome.Failed} failed{interrupted}{held}; store {shownStore}");
                if (elsewhere > 0)
                    Console.Error.WriteLine($"noiselab: {elsewhere} run(s) are held by another worker whose heartbeat is fresh, so this sweep left them to it; 'noiselab status --store {shownStore}' shows which, and a worker that has gone away hands them on after --lease seconds.");
                if (outcome.Failed > 0)
                    Console.Error.WriteLine($"noiselab: {outcome.Failed} run(s) failed; 'noiselab status --store {shownStore}' shows why, and once that is fixed, this command with --retry-failed trains them again.");
                // Earlier failures are not retried on their own (the cause may still be there), but they are not passed over in silence either.
                int earlier = runStore.Runs(sweep.Name).Count(r => r.Status == RunStatus.Failed && SweepSpec.InShard(r.Position, shardIndex, shardCount)) - outcome.Failed;
                if (earlier > 0)
                    Console.Error.WriteLine($"noiselab: {earlier} run(s) of this sweep failed in an earlier sweep and were not trained again; 'noiselab status --store {shownStore}' shows why, and --retry-failed trains them again.");
            }
            if (stop.Token.IsCancellationRequested)
                return ExitCodes.Interrupted;
            // An interruption nobody asked for is a checkpoint that could not be written; the store has the reason.
            return outcome.Interrupted > 0 || outcome.Failed > 0 ? ExitCodes.Failure : exitCode;
        }));
        return command;
    }

    /// <summary>The variable through which a sweep passes its store to its --jobs workers, kept out of their command lines.</summary>
    internal const string WorkerStoreVariable = "NOISELAB_WORKER_STORE";

    // results/NAME.db; the spec's name is one safe path segment (SweepSpec checks it), so this stays under results/.
    private static string DefaultStore(string name)
    {
        string results = Path.GetFullPath("results");
        string store = Path.GetFullPath(Path.Combine(results, name + ".db"));
        if (!store.StartsWith(results + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.GetDirectoryName(store) != results)
            throw new UsageException($"The sweep name '{name}' would put its store outside results/; name it with letters, digits, '.', '_' and '-' only, or pass --store.");
        return Path.Combine("results", name + ".db");
    }

    /// <summary>Parses I/N (1-based, as array-job indices are written) into a 0-based shard and a count.</summary>
    internal static (int Index, int Count) ParseShard(string? text)
    {
        if (text is null)
            return (0, 1);
        string[] parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            || count < 1 || index < 1 || index > count)
            throw new UsageException($"--shard must be I/N with 1 <= I <= N (e.g. 2/8); got '{text}'.");
        return (index - 1, count);
    }
}
