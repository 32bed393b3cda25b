using System.Diagnostics;
using NoiseLab.Checkpoints;
using NoiseLab.TensorBoard;
using NoiseLab.Training;

namespace NoiseLab.Experiments;

/// <summary>The sweep worker's stacked runs: a pack of <see cref="RunPacks"/> claimed together and trained as one stacked run.</summary>
public static partial class SweepRunner
{
    // Claims the pack's other claimable runs beside the lead, trains those that can resume from one epoch stacked (each
    // stored as it ends, exactly as it would be alone), and gives the others back. Returns the states they were left in.
    private static IReadOnlyList<string?> RunPack(string sweep, IReadOnlyList<SweepRun> pack, string lead, string specHash, RunStore store, SweepOptions options)
    {
        string worker = options.Worker;
        var claimed = store.ClaimRuns(sweep, worker, options.StaleAfter, [.. pack.Select(r => r.Id).Where(id => id != lead)]).Append(lead).ToHashSet();
        var ended = new Dictionary<string, string?>(StringComparer.Ordinal);
        var members = new List<(int Slot, SweepRun Run, CheckpointFolder Folder, TrainingCheckpoint? Latest)>();
        for (int slot = 0; slot < pack.Count; slot++)
        {
            if (!claimed.Contains(pack[slot].Id))
                continue;
            CheckpointFolder folder = CheckpointsOf(options, sweep, specHash, pack[slot].Id);
            try
            {
                members.Add((slot, pack[slot], folder, folder.LoadLatest(options.Log)));
            }
            catch (CheckpointMismatchException e)
            {
                ended[pack[slot].Id] = Settle(store, sweep, pack[slot].Id, worker, new RunEnding(RunStatus.Failed, e.Message), folder, options.Log);
            }
        }
        if (members.Count == 0)
            return [.. ended.Values];

        var leases = new List<LeaseKeeper>();
        var tensorBoards = new List<TensorBoardLogger>();
        var trained = new List<(int Slot, SweepRun Run)>();
        var folders = new CheckpointFolder?[pack.Count];
        long begin = Stopwatch.GetTimestamp();
        try
        {
            var (epoch, starts) = StackedResumption.Choose([.. members.Select(m => (m.Folder, m.Latest))], options.Log);
            var slots = new RunSpec?[pack.Count];
            var resume = new TrainingCheckpoint?[pack.Count];
            for (int i = 0; i < members.Count; i++)
            {
                var (slot, run, folder, _) = members[i];
                if (!starts[i].Joins)
                {
                    // It cannot go back to that epoch without losing what it trained: it resumes later, in a pack of its own.
                    store.Release(sweep, run.Id, worker, resumable: true);
                    continue;
                }
                (slots[slot], resume[slot], folders[slot]) = (run.Spec with { Threads = options.Threads }, starts[i].Start, folder);
                store.Begin(sweep, run.Id, worker, epoch);
                trained.Add((slot, run));
            }
            options.Log?.Invoke($"stacked run of {trained.Count} (width {pack.Count}){(epoch > 0 ? $", resuming after epoch {epoch}" : "")}: {string.Join(", ", trained.Select(t => t.Run.Id))}");

            var callbacks = new Dictionary<int, TrainingCallback[]>();
            foreach (var (slot, run) in trained)
            {
                var lease = new LeaseKeeper(store.Location, sweep, run.Id, worker, options.HeartbeatEvery, options.Log);
                leases.Add(lease);
                TensorBoardLogger? tensorBoard = TensorBoardOf(options, sweep, run, afresh: resume[slot] is null);
                if (tensorBoard is not null)
                    tensorBoards.Add(tensorBoard);
                callbacks[slot] = [new StopCheck(lease, options.Stop), new EpochWriter(store, sweep, run.Id, worker), .. tensorBoard is null ? [] : new TrainingCallback[] { tensorBoard }];
            }

            void Stored(ReplicaOutcome outcome)
            {
                string id = pack[outcome.Slot].Id;
                double seconds = Stopwatch.GetElapsedTime(begin).TotalSeconds / trained.Count;
                ended[id] = outcome switch
                {
                    { Result: { } result } => FinishStacked(store, sweep, id, worker, result, seconds, pack.Count, folders[outcome.Slot]!, options.Log),
                    { Error: LeaseLostException lost } => Left(lost, options.Log),
                    { Error: { } error } when RunEnding.IsStoreLost(error) => throw error,
                    { Error: { } error } => Settle(store, sweep, id, worker, RunEnding.Of(error, options.Stop)!.Value, folders[outcome.Slot]!, options.Log, pack.Count),
                    _ => null,
                };
            }

            StackedRunExecutor.Execute(slots, slot => callbacks[slot], log: null, folders, resume, Stored,
                stopsEveryReplica: e => e is OperationCanceledException || RunEnding.IsStoreLost(e));
        }
        catch (Exception e) when (RunEnding.IsStoreLost(e))
        {
            throw StoreLost(store, sweep, [.. trained.Select(t => t.Run.Id).Where(id => !ended.ContainsKey(id))], worker, e, options.Log);
        }
        catch (LeaseLostException e)
        {
            Left(e, options.Log);
        }
        catch (Exception e) when (RunEnding.Of(e, options.Stop) is { } ending)
        {
            foreach (var (slot, run) in trained.Where(t => !ended.ContainsKey(t.Run.Id)))
                ended[run.Id] = Settle(store, sweep, run.Id, worker, ending, folders[slot]!, options.Log, pack.Count);
        }
        finally
        {
            foreach (LeaseKeeper lease in leases)
                lease.Dispose();
            foreach (TensorBoardLogger tensorBoard in tensorBoards)
                tensorBoard.Dispose();
        }
        return [.. ended.Values];
    }

    private static string? FinishStacked(RunStore store, string sweep, string id, string worker, TrainingResult result, double seconds, int width,
        CheckpointFolder checkpoints, Action<string>? log)
    {
        try
        {
            store.Finish(sweep, id, worker, result, seconds, width);
            checkpoints.Clear();
            return RunStatus.Finished;
        }
        catch (LeaseLostException e)
        {
            return Left(e, log);
        }
    }
}
