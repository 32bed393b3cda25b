namespace NoiseLab.Experiments;

/// <summary>
/// Renews a run's lease in the store from a timer, on a connection of its own, while the run trains.
/// When the store says the run belongs to another worker now, <see cref="Lost"/> turns true and the
/// training loop stops at its next step.
/// </summary>
public sealed class LeaseKeeper : IDisposable
{
    private readonly Timer _timer;
    private readonly string _location, _sweep, _id, _worker;
    private readonly Action<string>? _log;
    private readonly Lock _gate = new();
    private RunStore? _store;
    private volatile bool _lost;
    private bool _disposed;

    /// <summary>Starts renewing the lease of run <paramref name="id"/> every <paramref name="period"/>.</summary>
    public LeaseKeeper(string storeLocation, string sweep, string id, string worker, TimeSpan period, Action<string>? log = null)
    {
        _store = RunStore.Open(storeLocation);
        (_location, _sweep, _id, _worker, _log) = (storeLocation, sweep, id, worker, log);
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
                _store ??= RunStore.Open(_location);
                _lost = !_store.Heartbeat(_sweep, _id, _worker);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or RunStoreException)
            {
                // A store that is briefly unreachable is not a lost lease; the next beat tries again on a fresh
                // connection, since a broken one (a server restarted) never works again. An exception must not
                // leave the timer's thread, where it would end the process.
                _store?.Dispose();
                _store = null;
                string cause = e is System.Data.Common.DbException db ? StoreErrors.Describe(db) : e.Message;
                _log?.Invoke($"warning: the heartbeat of run {_id} could not be written ({cause}); retrying.");
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
            _store?.Dispose();
        }
    }
}
