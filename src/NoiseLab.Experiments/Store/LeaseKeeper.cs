namespace NoiseLab.Experiments;

/// <summary>
/// Renews a run's lease in the store from a timer, on a connection of its own, while the run trains.
/// When the store says the run belongs to another worker now, <see cref="Lost"/> turns true and the
/// training loop stops at its next step.
/// </summary>
public sealed class LeaseKeeper : IDisposable
{
    private readonly RunStore _store;
    private readonly Timer _timer;
    private readonly string _sweep, _id, _worker;
    private readonly Action<string>? _log;
    private readonly Lock _gate = new();
    private volatile bool _lost;
    private bool _disposed;

    /// <summary>Starts renewing the lease of run <paramref name="id"/> every <paramref name="period"/>.</summary>
    public LeaseKeeper(string storeLocation, string sweep, string id, string worker, TimeSpan period, Action<string>? log = null)
    {
        _store = RunStore.Open(storeLocation);
        (_sweep, _id, _worker, _log) = (sweep, id, worker, log);
        _timer = new Timer(_ => Beat(), null, period, period);
    }

    /// <summary>Whether another worker has reclaimed the run.</summary>
    public bool Lost => _lost;

    private void Beat()
    {
        lock (_gate)
        {
            if (_disposed || _lost)
                return;
            try
            {
                _lost = !_store.Heartbeat(_sweep, _id, _worker);
            }
            catch (System.Data.Common.DbException e)
            {
                // A store that is briefly unreachable is not a lost lease; the next beat tries again.
                _log?.Invoke($"warning: the heartbeat of run {_id} could not be written ({e.Message}); retrying.");
            }
        }
    }

    /// <inheritdoc />
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
