using System.Diagnostics;
using NoiseLab.Training;

namespace NoiseLab.Experiments;

/// <summary>
/// Runs a sweep's unfinished runs one after another, storing every epoch as it ends and the final
/// figures when a run finishes. Finished runs are skipped, so running a sweep again trains nothing; a
/// run that was interrupted starts again from its first epoch (checkpointed resume comes later).
/// </summary>
public static class SweepRunner
{
    /// <summary>Stores each finished epoch of one run.</summary>
    private sealed class EpochWriter(RunStore store, string sweep, string id) : TrainingCallback
    {
        public override void OnEpochEnd(TrainingContext context, EpochRecord record) => store.RecordEpoch(sweep, id, record);
    }

    /// <summary>Runs what is left of <paramref name="spec"/>; returns how many runs were trained and how many were already done.</summary>
    /// <param name="spec">The sweep.</param>
    /// <param name="specText">The spec as written, stored with the sweep.</param>
    /// <param name="store">Where results go.</param>
    /// <param name="threads">TorchSharp threads per run.</param>
    /// <param name="log">Receives a line per run.</param>
    public static (int Trained, int Skipped, int Failed) Run(SweepSpec spec, string specText, RunStore store, int threads, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(store);
        store.Register(spec, specText);
        IReadOnlySet<string> unfinished = store.Unfinished(spec.Name);
        int trained = 0, failed = 0, index = 0;
        foreach (SweepRun run in spec.Runs)
        {
            index++;
            if (!unfinished.Contains(run.Id))
                continue;
            log?.Invoke($"[{index}/{spec.Runs.Count}] {run.Id}");
            store.Start(spec.Name, run.Id);
            long start = Stopwatch.GetTimestamp();
            try
            {
                TrainingResult result = RunExecutor.Execute(run.Spec with { Threads = threads }, [new EpochWriter(store, spec.Name, run.Id)]);
                store.Finish(spec.Name, run.Id, result, Stopwatch.GetElapsedTime(start).TotalSeconds);
                trained++;
            }
            catch (TrainingDivergedException e)
            {
                // A diverging run is a result of the grid, not a reason to stop the sweep.
                store.Fail(spec.Name, run.Id, e.Message);
                log?.Invoke($"  failed: {e.Message}");
                failed++;
            }
        }
        return (trained, spec.Runs.Count - unfinished.Count, failed);
    }
}
