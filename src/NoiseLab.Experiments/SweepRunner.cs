using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NoiseLab.Checkpoints;
using NoiseLab.Experiments.Pruning;
using NoiseLab.TensorBoard;
using NoiseLab.Training;

namespace NoiseLab.Experiments;

/// <summary>
/// A worker of a sweep: it takes runs from the store one at a time (atomically, so any number of
/// workers and machines can share a store), trains each with a checkpoint after every epoch, stores
/// every epoch as it ends and the final figures when the run finishes. A run interrupted anywhere
/// (killed, machine lost, stopped) continues from its last checkpoint and ends with the history an
/// uninterrupted run would have had, bit for bit. Finished runs are never trained again.
/// </summary>
public static partial class SweepRunner
{
    /// <summary>Stores each finished epoch of the run this worker holds.</summary>
    private sealed class EpochWriter(RunStore store, string sweep, string id, string worker) : TrainingCallback
    {
        public override void OnEpochEnd(TrainingContext context, EpochRecord record) => store.RecordEpoch(sweep, id, worker, record);
    }

    /// <summary>Stops training at the next step when the lease is lost or a stop is requested.</summary>
    private sealed class StopCheck(LeaseKeeper lease, CancellationToken stop) : TrainingCallback
    {
        public override void OnStepStart(TrainingContext context)
        {
            if (lease.Lost)
                throw new LeaseLostException($"The run was reclaimed by another worker; this worker leaves it.");
            stop.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Works on <paramref name="spec"/> until no run of this worker's shard is left to take.</summary>
    /// <param name="spec">The sweep.</param>
    /// <param name="specText">The spec as written, stored with the sweep.</param>
    /// <param name="store">Where results go.</param>
    /// <param name="options">Threads, shard, checkpoints, leases.</param>
    public static SweepOutcome Run(SweepSpec spec, string specText, RunStore store, SweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int trained = 0, diverged = 0, failed = 0, interrupted = 0, pruned = 0, alreadyDone;
        try
        {
            store.Register(spec, specText);
            // The sweep's own hash, not this text's: a grown spec's runs keep the checkpoints they were interrupted with.
            string specHash = store.StoredSpecHash(spec.Name) ?? RunStore.SpecHash(specText);
            var runs = spec.Runs.ToDictionary(r => r.Id);
            RunPacks packs = RunPacks.Of(spec, options.Shard, options.Shards);
            alreadyDone = store.Runs(spec.Name).Count(r => r.Status == RunStatus.Finished && SweepSpec.InShard(r.Position, options.Shard, options.Shards));
            while (!options.Stop.IsCancellationRequested
                && store.Claim(spec.Name, options.Worker, options.StaleAfter, options.Shard, options.Shards) is string id)
            {
                IReadOnlyList<SweepRun> pack = packs.PackOf(id);
                IReadOnlyList<string?> ended = pack.Count == 1
                    ? [RunOne(spec.Name, runs[id], specHash, store, options, spec.Pruning)]
                    : RunPack(spec.Name, pack, id, specHash, store, options);
                foreach (string? status in ended)
                {
                    switch (status)
                    {
                        case RunStatus.Pruned: pruned++; break;
                        case RunStatus.Finished: trained++; break;
                        case RunStatus.Diverged: diverged++; break;
                        case RunStatus.Failed: failed++; break;
                        case RunStatus.Interrupted: interrupted++; break;
                    }
                }
                // Not asked to stop, so a checkpoint could not be written (a full disk): later runs would fail alike.
                if (interrupted > 0)
                    break;
            }
        }
        catch (DbException e)
        {
            // Between runs nothing is held: every run resumes where it stopped once the store answers again.
            throw new StoreLostException($"The store '{store.Shown}' stopped answering between runs: {StoreErrors.Describe(e)}; fix that and run the sweep again, and every run resumes where it stopped.", e);
        }
        return new SweepOutcome(trained, alreadyDone, diverged, failed, interrupted) { Pruned = pruned };
    }

    /// <summary>The folder where a run of a sweep keeps its checkpoints: readable, and unique by a hash of the id.</summary>
    public static string CheckpointFolderOf(string root, string sweep, string id)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sweep + "\n" + id)))[..8];
        string slug = UnsafeCharacters().Replace(id, "_");
        // "." and ".." are safe characters but not safe folder names: they would leave the root.
        string folder = UnsafeCharacters().Replace(sweep, "_") is var name && name.Trim('.').Length == 0 ? "_" + name.Length : name;
        return Path.Combine(root, folder, (slug.Length > 80 ? slug[..80] : slug) + "-" + hash);
    }

    // A run's checkpoints, keyed by the spec and the run: the same folder and key whether it trains alone or stacked.
    private static CheckpointFolder CheckpointsOf(SweepOptions options, string sweep, string specHash, string id) =>
        new(CheckpointFolderOf(options.CheckpointRoot, sweep, id), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(specHash + "\n" + id)))[..16]);

    // A run that starts afresh replaces an earlier attempt's events, which TensorBoard would chart beside the new ones.
    private static TensorBoardLogger? TensorBoardOf(SweepOptions options, string sweep, SweepRun run, bool afresh)
    {
        if (options.TensorBoardRoot is not string root)
            return null;
        var tensorBoard = TensorBoardLogger.ForRun(Path.Combine(root, sweep), run.Id, replaceExisting: afresh);
        // The seeds of one configuration and plan are one group in TensorBoard's HParams tab.
        tensorBoard.Hyperparameters = new Dictionary<string, object>(RunHyperparameters.Of(run.Spec)) { ["plan"] = run.NoisePlan };
        tensorBoard.HyperparameterGroup = RunPacks.KeyOf(run.Id) is { Length: > 0 } group ? group : run.Id;
        tensorBoard.Histograms = options.TensorBoardHistograms;
        return tensorBoard;
    }

    // Returns the state the run was left in, or null when another worker took it over.
    private static string? RunOne(string sweep, SweepRun run, string specHash, RunStore store, SweepOptions options, PruningOptions? pruning)
    {
        string worker = options.Worker;
        CheckpointFolder checkpoints = CheckpointsOf(options, sweep, specHash, run.Id);
        try
        {
            TrainingCheckpoint? checkpoint = checkpoints.LoadLatest(options.Log);
            store.Begin(sweep, run.Id, worker, checkpoint?.Epoch ?? 0);
            options.Log?.Invoke(checkpoint is null ? $"run {run.Id}" : $"run {run.Id}: resuming after epoch {checkpoint.Epoch}");
            using var lease = new LeaseKeeper(store.Location, sweep, run.Id, worker, options.HeartbeatEvery, options.Log);
            using TensorBoardLogger? tensorBoard = TensorBoardOf(options, sweep, run, afresh: checkpoint is null);
            long start = Stopwatch.GetTimestamp();
            TrainingCallback[] callbacks =
            [
                new StopCheck(lease, options.Stop), new EpochWriter(store, sweep, run.Id, worker),
                .. tensorBoard is null ? [] : new TrainingCallback[] { tensorBoard },
                // After the writer, so that the epoch a run is pruned at is stored.
                .. pruning is null ? [] : new TrainingCallback[] { Pruner(pruning, store, sweep, run.Id) },
            ];
            TrainingResult result = RunExecutor.Execute(run.Spec with { Threads = options.Threads }, callbacks, log: null, checkpoints, checkpoint);
            store.Finish(sweep, run.Id, worker, result, Stopwatch.GetElapsedTime(start).TotalSeconds);
            checkpoints.Clear();
            return RunStatus.Finished;
        }
        catch (LeaseLostException e)
        {
            return Left(e, options.Log);
        }
        catch (Exception e) when (RunEnding.IsStoreLost(e))
        {
            throw StoreLost(store, sweep, [run.Id], worker, e, options.Log);
        }
        catch (Exception e) when (RunEnding.Of(e, options.Stop) is { } ending)
        {
            return Settle(store, sweep, run.Id, worker, ending, checkpoints, options.Log);
        }
    }

    // The store itself failed (a full disk, a server gone): no later run could be stored either.
    private static StoreLostException StoreLost(RunStore store, string sweep, IReadOnlyList<string> ids, string worker, Exception e, Action<string>? log)
    {
        string cause = e is StoreLostException ? e.Message : StoreErrors.Describe(e);
        string reason = $"the store could not be written: {cause}; the run resumes from its last checkpoint";
        log?.Invoke($"  {RunStatus.Interrupted}: {reason}");
        foreach (string id in ids)
            StopWhereStillPossible(store, sweep, id, worker, RunStatus.Interrupted, reason);
        string what = ids.Count == 1 ? $"run '{ids[0]}'" : $"{ids.Count} stacked runs";
        string resumes = ids.Count == 1 ? "the run resumes from its last checkpoint" : "the runs resume from their last checkpoints";
        return new StoreLostException($"The store '{store.Shown}' stopped accepting writes while {what} trained: {cause}; fix that and run the sweep again, and {resumes}.", e);
    }

    // Stores how a run ended; null when another worker holds it now.
    private static string? Settle(RunStore store, string sweep, string id, string worker, RunEnding ending, CheckpointFolder checkpoints, Action<string>? log, int stacked = 0)
    {
        var (status, reason) = ending;
        log?.Invoke($"  {status}: {reason}");
        try
        {
            store.Stop(sweep, id, worker, status, reason, stacked);
            if (status != RunStatus.Interrupted)
                checkpoints.Clear();
            return status;
        }
        catch (LeaseLostException)
        {
            return null;
        }
        catch (DbException e)
        {
            // The reason is kept where the store still takes it; a run left unsettled shows as interrupted once this process has exited.
            bool kept = StopWhereStillPossible(store, sweep, id, worker, status, reason, reuse: false);
            throw new StoreLostException($"The store '{store.Shown}' stopped accepting writes while run '{id}' was being marked {status}: {StoreErrors.Describe(e)}; {(kept ? $"it is marked {status}; " : "")}fix that and run the sweep again.", e);
        }
    }

    private static string? Left(LeaseLostException lost, Action<string>? log)
    {
        log?.Invoke($"  {lost.Message}");
        return null;
    }

    // After a store error the connection may be broken (a server restarted): a fresh one may still settle the run.
    // Returns whether the run was settled; when it was not, it stays 'running' under this process, which status
    // shows as interrupted once the process has exited, and the next claim takes it.
    private static bool StopWhereStillPossible(RunStore store, string sweep, string id, string worker, string status, string reason, bool reuse = true)
    {
        if (reuse)
        {
            try
            {
                store.Stop(sweep, id, worker, status, reason);
                return true;
            }
            catch (LeaseLostException)
            {
                return false;
            }
            catch (Exception e) when (e is DbException or InvalidOperationException)
            {
                // Tried again below on a connection of its own.
            }
        }
        try
        {
            using RunStore fresh = RunStore.Open(store.Location);
            fresh.Stop(sweep, id, worker, status, reason);
            return true;
        }
        catch (Exception e) when (e is DbException or LeaseLostException or RunStoreException or InvalidOperationException)
        {
            return false;
        }
    }

    // Compares the run with the finished runs of its configuration (data, model, optimizer, clipping): every plan and seed.
    private static MedianPruner Pruner(PruningOptions pruning, RunStore store, string sweep, string id)
    {
        string configuration = SweepReport.ConfigurationOf(id);
        var monitor = new EpochMonitor(pruning.Monitor, pruning.Mode);
        return new MedianPruner(pruning, epoch => [.. store.FinishedEpochs(sweep, epoch)
            .Where(e => e.Id != id && SweepReport.ConfigurationOf(e.Id) == configuration)
            .Select(e => monitor.TryRead(e.Record)).OfType<double>()]);
    }

    [GeneratedRegex("[^A-Za-z0-9._=-]")]
    private static partial Regex UnsafeCharacters();
}
