using System.Diagnostics;
using System.Globalization;
using NoiseLab.Experiments;

namespace NoiseLab.Cli.Output;

/// <summary>
/// A live view of a sweep, read from the store on a connection of its own so that it sees every
/// worker's progress: runs done, running and left, each running run's epoch and training loss, and
/// an estimate of the time left. A line is written whenever something changed.
/// </summary>
internal sealed class SweepProgress : IDisposable
{
    private readonly RunStore _store;
    private readonly SweepSpec _sweep;
    private readonly Dictionary<string, int> _epochs;
    private readonly HashSet<string> _mine;
    private readonly TextWriter _output;
    private readonly Timer _timer;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private readonly int _doneAtStart;
    private string _last = "";
    private bool _disposed;

    public SweepProgress(string storeLocation, SweepSpec sweep, int shard, int shards, TextWriter output, TimeSpan? every = null)
    {
        _store = RunStore.Open(storeLocation);
        _sweep = sweep;
        _epochs = sweep.Runs.ToDictionary(r => r.Id, r => r.Spec.Trainer.Epochs);
        _mine = [.. sweep.RunsOfShard(shard, shards).Select(r => r.Id)];
        _output = output;
        _doneAtStart = Done();
        TimeSpan period = every ?? TimeSpan.FromSeconds(2);
        _timer = new Timer(_ => Report(), null, period, period);
    }

    private int Done() => _store.Runs(_sweep.Name).Count(r => _mine.Contains(r.Id) && IsSettled(r.Status));

    private static bool IsSettled(string status) => status is RunStatus.Finished or RunStatus.Diverged or RunStatus.Failed;

    private void Report()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            try
            {
                string line = Line();
                if (line != _last)
                    _output.WriteLine(line);
                _last = line;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                // The view is best effort (a broken connection throws InvalidOperationException); the workers' own writes are what counts.
            }
        }
    }

    private string Line()
    {
        var runs = _store.Runs(_sweep.Name).Where(r => _mine.Contains(r.Id)).ToList();
        int done = runs.Count(r => IsSettled(r.Status));
        int running = runs.Count(r => r.Status == RunStatus.Running);
        int left = runs.Count - done - running;
        var current = _store.RunningEpochs(_sweep.Name).Where(r => _mine.Contains(r.Id))
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Id} epoch {r.Latest.Epoch}/{_epochs.GetValueOrDefault(r.Id)} loss {r.Latest.TrainLoss:F4}"));
        int doneNow = done - _doneAtStart;
        string eta = doneNow > 0 && done < runs.Count
            ? $", about {Duration(_clock.Elapsed * (runs.Count - done) / doneNow)} left"
            : "";
        string detail = string.Join("; ", current);
        return $"progress: {done}/{runs.Count} done, {running} running, {left} left{eta}" + (detail.Length > 0 ? $" | {detail}" : "");
    }

    private static string Duration(TimeSpan time) =>
        time.TotalHours >= 1 ? $"{(int)time.TotalHours}h{time.Minutes:D2}m" : time.TotalMinutes >= 1 ? $"{(int)time.TotalMinutes}m{time.Seconds:D2}s" : $"{Math.Max(1, (int)time.TotalSeconds)}s";

    public void Dispose()
    {
        _timer.Dispose();
        lock (_gate)
        {
            _disposed = true;
            _store.Dispose();
        }
    }
}
