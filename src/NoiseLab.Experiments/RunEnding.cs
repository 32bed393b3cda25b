using NoiseLab.Checkpoints;
using NoiseLab.Experiments.Pruning;
using NoiseLab.Training;

namespace NoiseLab.Experiments;

/// <summary>The state a sweep stores for a run whose training ended with an exception, and the reason it stores with it.</summary>
/// <param name="Status">Diverged, pruned, failed or interrupted.</param>
/// <param name="Reason">One sentence for the store's error column.</param>
internal readonly record struct RunEnding(string Status, string Reason)
{
    /// <summary>
    /// How a run that threw <paramref name="error"/> is stored; null for the errors a worker handles otherwise: a lost
    /// lease (the run is another worker's now) and a store that stopped accepting writes.
    /// </summary>
    public static RunEnding? Of(Exception error, CancellationToken stop) => error switch
    {
        // A diverging or pruned run is a result of the grid, not a reason to stop the sweep.
        TrainingDivergedException => new(RunStatus.Diverged, error.Message),
        RunPrunedException => new(RunStatus.Pruned, error.Message),
        CheckpointMismatchException => new(RunStatus.Failed, error.Message),
        OperationCanceledException when stop.IsCancellationRequested => new(RunStatus.Interrupted, "stopped on request; it resumes from its last checkpoint"),
        // A full disk stops the run with its last good checkpoint intact; it resumes once there is room.
        CheckpointWriteException => new(RunStatus.Interrupted, error.Message),
        LeaseLostException or System.Data.Common.DbException or StoreLostException => null,
        // Anything else is this run's failure, not the sweep's: it is stored with its reason and the next run starts.
        _ => new(RunStatus.Failed, RunFailure.Describe(error)),
    };

    /// <summary>Whether <paramref name="error"/> says the store itself stopped accepting writes.</summary>
    public static bool IsStoreLost(Exception error) => error is System.Data.Common.DbException or StoreLostException;
}
