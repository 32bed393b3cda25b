namespace NoiseLab.Training;

/// <summary>
/// Stops training when a monitored figure stops improving, as Keras's <c>EarlyStopping</c> does: after
/// each epoch the figure (<see cref="EarlyStoppingOptions.Monitor"/>) is compared with the best so far;
/// once <see cref="EarlyStoppingOptions.Patience"/> epochs in a row have not improved on it by more than
/// <see cref="EarlyStoppingOptions.MinDelta"/>, it asks the trainer to stop (the history ends at that epoch).
/// With <see cref="EarlyStoppingOptions.RestoreBestWeights"/> it keeps a copy of the best epoch's weights
/// and buffers and puts them back at the end of training, before the test split is evaluated.
/// </summary>
/// <remarks>
/// Add it after any callback whose figure it watches (a diagnostic is there only once its callback has
/// run at epoch end). Its state — best value and epoch, epochs waited, the stop, the best weights — is
/// part of every checkpoint, so a resumed run stops at the same epoch and restores the same weights.
/// Each epoch's record gets <c>early_stopping.best_epoch</c>; the epoch it stops at, <c>early_stopping.stopped</c> = 1.
/// A figure that is not finite never counts as an improvement.
/// </remarks>
public sealed class EarlyStopping : TrainingCallback
{
    private readonly EarlyStoppingOptions _options;
    private readonly EpochMonitor _monitor;
    private double _best;
    private int _bestEpoch;
    private int _wait;
    private int _stoppedEpoch;
    private byte[]? _bestWeights;
    private bool _restored;

    /// <summary>Creates the callback; <paramref name="options"/> are validated here.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public EarlyStopping(EarlyStoppingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _monitor = new EpochMonitor(options.Monitor, options.Mode);
        _best = _monitor.Worst;
    }

    /// <summary>Creates the callback from its options one by one (see <see cref="EarlyStoppingOptions"/>).</summary>
    public EarlyStopping(string monitor = "val_loss", MonitorMode? mode = null, int patience = 0, double minDelta = 0, bool restoreBestWeights = false)
        : this(new EarlyStoppingOptions { Monitor = monitor, Mode = mode, Patience = patience, MinDelta = minDelta, RestoreBestWeights = restoreBestWeights })
    {
    }

    /// <summary>The options it runs with.</summary>
    public EarlyStoppingOptions Options => _options;

    /// <summary>What it did so far: the stop, the best epoch and value, and whether the best weights were restored.</summary>
    public EarlyStoppingOutcome Outcome => new(_monitor.Name, _stoppedEpoch > 0 ? _stoppedEpoch : null, _bestEpoch, _best, _restored ? _bestEpoch : null);

    /// <inheritdoc />
    public override string StateKey => "early_stopping";

    /// <inheritdoc />
    public override void OnTrainStart(TrainingContext context)
    {
        _best = _monitor.Worst;
        _bestEpoch = _wait = _stoppedEpoch = 0;
        _bestWeights = null;
        _restored = false;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(record);
        double value = _monitor.Read(record);
        if (double.IsFinite(value) && _monitor.Improves(value, _best, _options.MinDelta))
        {
            _best = value;
            _bestEpoch = record.Epoch;
            _wait = 0;
            if (_options.RestoreBestWeights)
                _bestWeights = Serialize(writer => context.Model.save(writer));
        }
        else
        {
            _wait++;
        }
        record.Annotate("early_stopping.best_epoch", _bestEpoch);
        // Keras's rule: patience 0 and 1 both stop at the first epoch without improvement.
        if (_wait > 0 && _wait >= _options.Patience)
        {
            _stoppedEpoch = record.Epoch;
            context.StopRequested = true;
            record.Annotate("early_stopping.stopped", 1);
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_bestWeights is null)
            return;
        using var reader = new BinaryReader(new MemoryStream(_bestWeights));
        context.Model.load(reader, strict: true);
        _restored = true;
    }

    /// <inheritdoc />
    public override void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_best);
        writer.Write(_bestEpoch);
        writer.Write(_wait);
        writer.Write(_stoppedEpoch);
        writer.Write(_bestWeights?.Length ?? -1);
        if (_bestWeights is not null)
            writer.Write(_bestWeights);
    }

    /// <inheritdoc />
    public override void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _best = reader.ReadDouble();
        _bestEpoch = reader.ReadInt32();
        _wait = reader.ReadInt32();
        _stoppedEpoch = reader.ReadInt32();
        int length = reader.ReadInt32();
        _bestWeights = length < 0 ? null : reader.ReadBytes(length);
        if (_bestWeights is not null && _bestWeights.Length != length)
            throw new EndOfStreamException($"The early-stopping state ends inside its best weights ({_bestWeights.Length} of {length} bytes).");
    }

    private static byte[] Serialize(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
            write(writer);
        return stream.ToArray();
    }
}
