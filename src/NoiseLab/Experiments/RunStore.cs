using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NoiseLab.Training;

namespace NoiseLab.Experiments;

/// <summary>A run as the store holds it.</summary>
public sealed record StoredRun(string Id, string Plan, string Status, string Config, string? Result, double? Seconds);

/// <summary>
/// The run store: one SQLite file (WAL mode) holding each sweep's spec, every run's configuration
/// and status, each finished epoch's record (UNIQUE per run and epoch) and the final figures. A file
/// that is not a NoiseLab store, or one written by a newer NoiseLab, is refused rather than changed.
/// </summary>
public sealed class RunStore : IDisposable
{
    /// <summary>The schema version this NoiseLab writes.</summary>
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly SqliteConnection _connection;

    private RunStore(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    /// <summary>The store's file.</summary>
    public string Path { get; }

    /// <summary>Opens (or creates) the store at <paramref name="path"/>.</summary>
    /// <exception cref="RunStoreException">The file is not a NoiseLab store, or is of a newer schema.</exception>
    public static RunStore Open(string path)
    {
        string? folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString());
        try
        {
            connection.Open();
            var store = new RunStore(connection, path);
            store.Initialize();
            return store;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new RunStoreException($"'{path}' cannot be used as a NoiseLab store: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Initialize()
    {
        bool hasTables = Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'") is long n && n > 0;
        bool hasMeta = Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'noiselab_meta'") is long m && m > 0;
        if (hasTables && !hasMeta)
            throw new RunStoreException($"'{Path}' is an SQLite database but not a NoiseLab store; pass another --store path.");
        if (hasMeta && Scalar("SELECT value FROM noiselab_meta WHERE key = 'schema'") is string schema
            && int.Parse(schema, CultureInfo.InvariantCulture) > SchemaVersion)
            throw new RunStoreException($"'{Path}' was written by a newer NoiseLab (store schema {schema}, this one reads {SchemaVersion}); upgrade NoiseLab to use it.");
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS noiselab_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT OR IGNORE INTO noiselab_meta VALUES ('app', 'noiselab'), ('schema', '1');
            CREATE TABLE IF NOT EXISTS sweeps (name TEXT PRIMARY KEY, spec_hash TEXT NOT NULL, spec TEXT NOT NULL, created TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS runs (sweep TEXT NOT NULL, id TEXT NOT NULL, plan TEXT NOT NULL, status TEXT NOT NULL,
                config TEXT NOT NULL, result TEXT, seconds REAL, error TEXT, PRIMARY KEY (sweep, id));
            CREATE TABLE IF NOT EXISTS epochs (sweep TEXT NOT NULL, run TEXT NOT NULL, epoch INTEGER NOT NULL, record TEXT NOT NULL,
                UNIQUE (sweep, run, epoch));
            """);
    }

    /// <summary>
    /// Registers <paramref name="spec"/> (its text is kept and hashed) and its runs as pending. The same
    /// sweep name with a different spec is refused, so that nothing stored is overwritten.
    /// </summary>
    public void Register(SweepSpec spec, string specText)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(specText);
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(specText)));
        using SqliteTransaction transaction = _connection.BeginTransaction();
        if (Scalar("SELECT spec_hash FROM sweeps WHERE name = $name", ("$name", spec.Name)) is string stored && stored != hash)
            throw new RunStoreException($"The store '{Path}' already holds a sweep '{spec.Name}' with a different spec; rename the sweep (name:) or use another --store, so that its results are kept.");
        Execute("INSERT OR IGNORE INTO sweeps VALUES ($name, $hash, $spec, $created)",
            ("$name", spec.Name), ("$hash", hash), ("$spec", specText), ("$created", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
        foreach (SweepRun run in spec.Runs)
        {
            Execute("INSERT OR IGNORE INTO runs (sweep, id, plan, status, config) VALUES ($sweep, $id, $plan, 'pending', $config)",
                ("$sweep", spec.Name), ("$id", run.Id), ("$plan", run.NoisePlan), ("$config", JsonSerializer.Serialize(run.Spec, s_json)));
        }
        transaction.Commit();
    }

    /// <summary>The runs of <paramref name="sweep"/> not finished yet.</summary>
    public IReadOnlySet<string> Unfinished(string sweep) =>
        Query("SELECT id FROM runs WHERE sweep = $sweep AND status <> 'finished'", r => r.GetString(0), ("$sweep", sweep)).ToHashSet();

    /// <summary>Marks a run as running and drops any epochs a previous, interrupted attempt stored.</summary>
    public void Start(string sweep, string id)
    {
        using SqliteTransaction transaction = _connection.BeginTransaction();
        Execute("DELETE FROM epochs WHERE sweep = $sweep AND run = $id", ("$sweep", sweep), ("$id", id));
        Execute("UPDATE runs SET status = 'running', error = NULL WHERE sweep = $sweep AND id = $id", ("$sweep", sweep), ("$id", id));
        transaction.Commit();
    }

    /// <summary>Stores one finished epoch.</summary>
    public void RecordEpoch(string sweep, string id, EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Execute("INSERT OR REPLACE INTO epochs VALUES ($sweep, $id, $epoch, $record)",
            ("$sweep", sweep), ("$id", id), ("$epoch", record.Epoch), ("$record", JsonSerializer.Serialize(record, s_json)));
    }

    /// <summary>Stores the final figures and marks the run finished.</summary>
    public void Finish(string sweep, string id, TrainingResult result, double seconds)
    {
        ArgumentNullException.ThrowIfNull(result);
        string json = JsonSerializer.Serialize(new { result.TestLoss, result.TestAccuracy, result.TestMetrics }, s_json);
        Execute("UPDATE runs SET status = 'finished', result = $result, seconds = $seconds WHERE sweep = $sweep AND id = $id",
            ("$result", json), ("$seconds", seconds), ("$sweep", sweep), ("$id", id));
    }

    /// <summary>Marks a run failed with the reason.</summary>
    public void Fail(string sweep, string id, string error) =>
        Execute("UPDATE runs SET status = 'failed', error = $error WHERE sweep = $sweep AND id = $id", ("$error", error), ("$sweep", sweep), ("$id", id));

    /// <summary>Every run of <paramref name="sweep"/>.</summary>
    public IReadOnlyList<StoredRun> Runs(string sweep) =>
        Query("SELECT id, plan, status, config, result, seconds FROM runs WHERE sweep = $sweep ORDER BY id",
            r => new StoredRun(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetDouble(5)),
            ("$sweep", sweep));

    /// <summary>The sweeps in the store with their spec text, by name.</summary>
    public IReadOnlyList<(string Name, string Spec)> Sweeps() =>
        Query("SELECT name, spec FROM sweeps ORDER BY name", r => (r.GetString(0), r.GetString(1)));

    /// <summary>How many epochs are stored for a run.</summary>
    public long EpochCount(string sweep, string id) =>
        (long)Scalar("SELECT count(*) FROM epochs WHERE sweep = $sweep AND run = $id", ("$sweep", sweep), ("$id", id))!;

    /// <summary>The stored epochs of a run, in order.</summary>
    public IReadOnlyList<EpochRecord> Epochs(string sweep, string id) =>
        Query("SELECT record FROM epochs WHERE sweep = $sweep AND run = $id ORDER BY epoch",
            r => JsonSerializer.Deserialize<EpochRecord>(r.GetString(0), s_json)!, ("$sweep", sweep), ("$id", id));

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = Command(sql, parameters);
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = Command(sql, parameters);
        return command.ExecuteScalar();
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = Command(sql, parameters);
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(read(reader));
        return rows;
    }

    private SqliteCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command;
    }
}

/// <summary>The store cannot be used as asked; the message says why and what to do.</summary>
public sealed class RunStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RunStoreException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public RunStoreException(string message, Exception inner) : base(message, inner) { }
}
