using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using NoiseLab.Checkpoints;
using NoiseLab.Training;

namespace NoiseLab.Experiments;

/// <summary>A run as the store holds it.</summary>
public sealed record StoredRun(string Id, string Plan, string Status, string Config, string? Result, double? Seconds, string? Error = null, int Position = 0, int Attempts = 0)
{
    /// <summary>The worker holding a running run.</summary>
    public string? Owner { get; init; }

    /// <summary>When a running run's worker last renewed its lease.</summary>
    public DateTimeOffset? Heartbeat { get; init; }

    /// <summary>How many replicas the stacked run it was trained in had (its width); 0 when it was trained alone.</summary>
    public int Stacked { get; init; }
}

/// <summary>
/// The run store: each sweep's spec, every run's configuration and status, each finished epoch's
/// record (UNIQUE per run and epoch) and the final figures. One SQLite file (WAL mode) by default, or
/// a PostgreSQL database shared by workers on many machines (<c>postgres://…</c>).
/// </summary>
/// <remarks>
/// Workers take runs with an atomic claim and hold them by a heartbeat; a run whose worker stopped
/// beating (killed, machine lost) is reclaimed by another after a grace period, and every write of the
/// old worker is refused from then on. A database that is not a NoiseLab store, or one written by a
/// newer NoiseLab, is refused rather than changed; an older store is upgraded, once, in a transaction.
/// </remarks>
public sealed class RunStore : IDisposable
{
    /// <summary>The schema version this NoiseLab writes.</summary>
    public const int SchemaVersion = 4;

    /// <summary>The noise generator of sweeps stored before schema 3, which did not record one.</summary>
    public const string UnversionedNoiseGenerator = "aes128-boxmuller-v1";

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly StoreDialect _dialect;
    private readonly DbConnection _connection;
    private DbTransaction? _transaction;

    private RunStore(StoreDialect dialect, DbConnection connection, string location)
    {
        _dialect = dialect;
        _connection = connection;
        Location = location;
    }

    /// <summary>The store as given to <see cref="Open"/>: a file path or a postgres:// URL, password included; never print it.</summary>
    public string Location { get; }

    /// <summary>The store as it may be shown: <see cref="Location"/> with any password masked.</summary>
    public string Shown => StoreLocation.Redact(Location);

    /// <summary>Whether <paramref name="location"/> names a PostgreSQL store rather than an SQLite file.</summary>
    public static bool IsPostgres(string location) =>
        location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens (or creates, or upgrades) the store at <paramref name="location"/>.</summary>
    /// <param name="location">An SQLite file path, or postgres://user:password@host:port/database.</param>
    /// <param name="warn">Receives warnings, e.g. an SQLite file on a network filesystem.</param>
    /// <exception cref="RunStoreException">The database is not a NoiseLab store, is of a newer schema, or cannot be reached.</exception>
    public static RunStore Open(string location, Action<string>? warn = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        StoreDialect dialect;
        if (IsPostgres(location))
        {
            dialect = new PostgresDialect(location);
        }
        else
        {
            dialect = new SqliteDialect(location);
            if (NetworkFilesystem.Of(location) is string kind)
                warn?.Invoke($"warning: the store '{location}' is on a network filesystem ({kind}), where SQLite's locks are unreliable and concurrent workers can corrupt it; use a PostgreSQL store (--store postgres://user:password@host/database) for sweeps spread over machines.");
        }
        DbConnection connection;
        try
        {
            connection = dialect.Connect();
        }
        catch (DbException e)
        {
            throw ReadOnlyHere(location, e) ?? new RunStoreException($"The store {dialect.Describe} cannot be opened: {StoreErrors.Describe(e)}; pass a --store that names a file in a writable folder, or a reachable postgres:// database.", e);
        }
        var store = new RunStore(dialect, connection, location);
        try
        {
            store.SetUp();
            return store;
        }
        catch (DbException e)
        {
            store.Dispose();
            throw ReadOnlyHere(location, e) ?? new RunStoreException($"{dialect.Describe} cannot be used as a NoiseLab store: {StoreErrors.Describe(e)}; pass another --store.", e);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens an existing store to read it (<c>status</c>, <c>report</c>, <c>export</c>): a missing, empty or
    /// foreign file is refused, never turned into a store. A store on a read-only file, folder or mount is
    /// read as it is, with nothing switched, upgraded or created; elsewhere it opens as <see cref="Open"/> does.
    /// </summary>
    /// <exception cref="RunStoreException">There is no readable NoiseLab store at <paramref name="location"/>.</exception>
    public static RunStore OpenForReading(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (IsPostgres(location))
            return Open(location);
        if (Directory.Exists(location))
            throw new RunStoreException($"The store '{location}' is a folder; pass the store file a sweep wrote (e.g. results/NAME.db).");
        if (!File.Exists(location))
            throw new RunStoreException($"The store '{location}' does not exist; run 'noiselab sweep SPEC --store {location}' first.");
        // Reading must not turn an empty file into a store: that is a typo'd path, or a file of something else.
        if (new FileInfo(location).Length == 0)
            throw new RunStoreException($"The store '{location}' is an empty file, not a NoiseLab store; pass the store a sweep wrote.");
        try
        {
            return Open(location);
        }
        catch (RunStoreException e) when (e.InnerException is SqliteException inner && SqliteStoreFile.IsReadOnly(inner))
        {
            int? schema = SqliteStoreFile.Inspect(location);
            if (schema is null)
                throw new RunStoreException($"The store '{location}' is an SQLite database without NoiseLab's tables, so it holds no sweep; pass the store a sweep wrote.", e);
            if (schema < SchemaVersion)
                throw new RunStoreException($"The store '{location}' has schema {schema}, which this NoiseLab upgrades to {SchemaVersion} when it opens a store, but it is read-only here; copy it to a writable folder and pass that --store.", e);
            return new RunStore(new SqliteDialect(location), SqliteStoreFile.OpenReadOnly(location), location);
        }
    }

    // A store that exists and can be read but not written: say so, and what can still be done with it.
    private static RunStoreException? ReadOnlyHere(string location, DbException error) =>
        error is SqliteException sqlite && SqliteStoreFile.IsReadOnly(sqlite) && File.Exists(location) && CanRead(location)
            ? new RunStoreException($"The store '{location}' is read-only here (a read-only file, folder or mount), so nothing can be stored in it; 'noiselab status', 'report' and 'export' can read it; copy it to a writable folder and pass that --store to train.", error)
            : null;

    // Through SQLite, whose connections share their file handles: closing a handle of our own would drop the
    // locks this process's other connections hold on the file.
    private static bool CanRead(string path)
    {
        try
        {
            SqliteStoreFile.OpenReadOnly(path).Dispose();
            return true;
        }
        catch (Exception e) when (e is SqliteException or RunStoreException)
        {
            return false;
        }
    }

    /// <summary>The schema version the store had when it was opened, and which worker upgraded it, by version.</summary>
    public IReadOnlyList<(int Version, string Worker)> Migrations() =>
        Query("SELECT version, by_worker FROM migrations ORDER BY version", r => (Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), r.GetString(1)));

    private void SetUp()
    {
        using DbTransaction transaction = _dialect.BeginSetUp(_connection);
        _transaction = transaction;
        try
        {
            if (_dialect.HasForeignTables(_connection, transaction))
                throw new RunStoreException($"{_dialect.Describe} is a database but not a NoiseLab store; pass another --store.");
            int? schema = _dialect.HasTable(_connection, transaction, "noiselab_meta")
                && Scalar("SELECT value FROM noiselab_meta WHERE key = 'schema'") is string text
                ? int.Parse(text, CultureInfo.InvariantCulture) : null;
            if (schema > SchemaVersion)
                throw new RunStoreException($"{_dialect.Describe} was written by a newer NoiseLab (store schema {schema}, this one reads {SchemaVersion}); upgrade NoiseLab to use it.");
            if (schema is null)
                Create();
            else if (schema < SchemaVersion)
                Upgrade(schema.Value);
            transaction.Commit();
        }
        finally
        {
            _transaction = null;
        }
    }

    private void Create()
    {
        Execute("""
            CREATE TABLE IF NOT EXISTS noiselab_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS sweeps (name TEXT PRIMARY KEY, spec_hash TEXT NOT NULL, spec TEXT NOT NULL, created TEXT NOT NULL,
                generator TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS runs (sweep TEXT NOT NULL, id TEXT NOT NULL, plan TEXT NOT NULL, status TEXT NOT NULL,
                config TEXT NOT NULL, result TEXT, seconds DOUBLE PRECISION, error TEXT,
                position INTEGER NOT NULL DEFAULT 0, owner TEXT, heartbeat BIGINT, attempts INTEGER NOT NULL DEFAULT 0,
                stacked INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (sweep, id));
            CREATE TABLE IF NOT EXISTS epochs (sweep TEXT NOT NULL, run TEXT NOT NULL, epoch INTEGER NOT NULL, record TEXT NOT NULL,
                UNIQUE (sweep, run, epoch));
            CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied TEXT NOT NULL, by_worker TEXT NOT NULL);
            INSERT INTO noiselab_meta (key, value) VALUES ('app', 'noiselab');
            """);
        Execute("INSERT INTO noiselab_meta (key, value) VALUES ('schema', @schema)", ("schema", SchemaVersion.ToString(CultureInfo.InvariantCulture)));
    }

    // Each step upgrades one version; a store of any released schema reaches the current one.
    private void Upgrade(int from)
    {
        if (from < 2)
        {
            Execute("""
                ALTER TABLE runs ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE runs ADD COLUMN owner TEXT;
                ALTER TABLE runs ADD COLUMN heartbeat BIGINT;
                ALTER TABLE runs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied TEXT NOT NULL, by_worker TEXT NOT NULL);
                """);
            // Schema 1 marked diverged runs "failed" with the divergence message.
            Execute("UPDATE runs SET status = 'diverged' WHERE status = 'failed' AND error LIKE 'Training diverged%'");
            // Schema 1 had no heartbeats: a run it left "running" was interrupted.
            Execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'");
            RecordMigration(2);
        }
        if (from < 3)
        {
            // Sweeps stored before generators were versioned drew their noise with the first one.
            Execute($"ALTER TABLE sweeps ADD COLUMN generator TEXT NOT NULL DEFAULT '{UnversionedNoiseGenerator}'");
            RecordMigration(3);
        }
        if (from < 4)
        {
            // Schema 4 records, per run, the width of the stacked run it was trained in (0: alone).
            Execute("ALTER TABLE runs ADD COLUMN stacked INTEGER NOT NULL DEFAULT 0");
            RecordMigration(4);
        }
        Execute("UPDATE noiselab_meta SET value = @schema WHERE key = 'schema'", ("schema", SchemaVersion.ToString(CultureInfo.InvariantCulture)));
    }

    private void RecordMigration(int version) =>
        Execute("INSERT INTO migrations (version, applied, by_worker) VALUES (@version, @applied, @worker)",
            ("version", version), ("applied", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)), ("worker", Worker.Current));

    /// <summary>
    /// Registers <paramref name="spec"/> (its text is kept and hashed, with its noise generator) and its runs as
    /// pending. A sweep may grow: a changed spec under the same name that keeps every stored run as it was
    /// (more seeds, another group, an edited comment) replaces the stored text and adds its new runs; the stored
    /// hash stays that of the spec the sweep was created with (<see cref="StoredSpecHash"/>). A spec
    /// that would change or drop a stored run, or another noise generator, is refused with what changed, so
    /// that nothing stored is overwritten or mixed with results of other settings or noise of other bits.
    /// </summary>
    public void Register(SweepSpec spec, string specText)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(specText);
        string hash = SpecHash(specText);
        string generator = spec.NoiseGenerator.Name;
        InTransaction(() =>
        {
            if (Query("SELECT spec_hash, spec, generator FROM sweeps WHERE name = @name", r => (Hash: r.GetString(0), Text: r.GetString(1), Generator: r.GetString(2)), ("name", spec.Name)) is [var stored])
            {
                if (stored.Generator != generator)
                    throw new RunStoreException($"The store {_dialect.Describe} holds sweep '{spec.Name}' drawn with noise generator {stored.Generator}, and this sweep would draw with {generator}; run it with --generator {stored.Generator} to continue it, or use another --store to start it afresh.");
                if (stored.Text != specText)
                {
                    if (ChangeToStoredRuns(spec) is { } change)
                        throw new RunStoreException($"The store {_dialect.Describe} already holds a sweep '{spec.Name}', and this spec {change} ({SpecDifference.Describe(stored.Text, specText)}); a sweep may only grow by new runs, so rename the sweep (name:) or use another --store to keep its results.");
                    // The hash stays the one the sweep was created with: its runs' checkpoints are keyed by it.
                    Execute("UPDATE sweeps SET spec = @spec WHERE name = @name", ("name", spec.Name), ("spec", specText));
                }
            }
            Execute("INSERT INTO sweeps (name, spec_hash, spec, created, generator) VALUES (@name, @hash, @spec, @created, @generator) ON CONFLICT (name) DO NOTHING",
                ("name", spec.Name), ("hash", hash), ("spec", specText), ("created", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)), ("generator", generator));
            for (int position = 0; position < spec.Runs.Count; position++)
            {
                SweepRun run = spec.Runs[position];
                Execute("""
                    INSERT INTO runs (sweep, id, plan, status, config, position) VALUES (@sweep, @id, @plan, 'pending', @config, @position)
                    ON CONFLICT (sweep, id) DO UPDATE SET position = excluded.position
                    """,
                    ("sweep", spec.Name), ("id", run.Id), ("plan", run.NoisePlan), ("config", ConfigOf(run)), ("position", position));
            }
        });
    }

    // What a changed spec would do to the runs already stored under its name: null when it keeps each of them,
    // with its plan and its whole configuration, as it is.
    private string? ChangeToStoredRuns(SweepSpec spec)
    {
        var given = spec.Runs.ToDictionary(r => r.Id, r => (r.NoisePlan, Config: ConfigOf(r)), StringComparer.Ordinal);
        var stored = Query("SELECT id, plan, config FROM runs WHERE sweep = @sweep ORDER BY position", r => (Id: r.GetString(0), Plan: r.GetString(1), Config: r.GetString(2)), ("sweep", spec.Name));
        foreach (var run in stored)
        {
            if (!given.TryGetValue(run.Id, out var now))
                return $"drops its run '{run.Id}'";
            if (now.NoisePlan != run.Plan)
                return $"would change its run '{run.Id}': the plan was '{run.Plan}' and is now '{now.NoisePlan}'";
            if (SpecDifference.DescribeConfig(run.Config, now.Config) is { } difference)
                return $"would change its run '{run.Id}': {difference}";
        }
        return null;
    }

    // A run's configuration as the runs table holds it; a grown spec's runs are compared in this form.
    private static string ConfigOf(SweepRun run) => JsonSerializer.Serialize(run.Spec, s_json);

    /// <summary>The hash under which a spec's text is stored.</summary>
    public static string SpecHash(string specText) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(specText ?? throw new ArgumentNullException(nameof(specText)))));

    /// <summary>The hash of the spec <paramref name="sweep"/> was created with, which keys its runs' checkpoints; a grown spec keeps it.</summary>
    public string? StoredSpecHash(string sweep) => Scalar("SELECT spec_hash FROM sweeps WHERE name = @name", ("name", sweep)) as string;

    /// <summary>
    /// Atomically takes the first run of <paramref name="sweep"/> in grid order that is pending,
    /// interrupted, or running with a heartbeat older than <paramref name="staleAfter"/>, and that falls
    /// in shard <paramref name="shard"/> of <paramref name="shards"/> (by grid position modulo the count).
    /// Returns its id, or null when nothing is left to take.
    /// </summary>
    public string? Claim(string sweep, string owner, TimeSpan staleAfter, int shard = 0, int shards = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, shards);
        ExpireDeadWorkersHere(sweep);
        long now = Now();
        long stale = now - (long)staleAfter.TotalMilliseconds;
        const string Claimable = "(status IN ('pending', 'interrupted') OR (status = 'running' AND (heartbeat IS NULL OR heartbeat < @stale)))";
        // The outer WHERE repeats the condition, so that of two claimers racing for one row only the first matches.
        var claimed = Query($"""
            UPDATE runs SET status = 'running', owner = @owner, heartbeat = @now, attempts = attempts + 1, error = NULL
            WHERE sweep = @sweep AND {Claimable} AND id = (
                SELECT id FROM runs WHERE sweep = @sweep AND position % @shards = @shard AND {Claimable}
                ORDER BY position LIMIT 1{_dialect.SkipLockedRows})
            RETURNING id
            """, r => r.GetString(0), ("owner", owner), ("now", now), ("stale", stale), ("sweep", sweep), ("shards", shards), ("shard", shard));
        return claimed.Count == 1 ? claimed[0] : null;
    }

    /// <summary>
    /// Atomically takes those of <paramref name="ids"/> that are claimable as <see cref="Claim"/> defines it (the partners
    /// of a run already claimed, to train stacked with it); returns the ids taken, in the order given.
    /// </summary>
    public IReadOnlyList<string> ClaimRuns(string sweep, string owner, TimeSpan staleAfter, IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        long now = Now();
        long stale = now - (long)staleAfter.TotalMilliseconds;
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (string id in ids)
        {
            int changed = Execute("""
                UPDATE runs SET status = 'running', owner = @owner, heartbeat = @now, attempts = attempts + 1, error = NULL
                WHERE sweep = @sweep AND id = @id
                  AND (status IN ('pending', 'interrupted') OR (status = 'running' AND (heartbeat IS NULL OR heartbeat < @stale)))
                """, ("owner", owner), ("now", now), ("stale", stale), ("sweep", sweep), ("id", id));
            if (changed == 1)
                claimed.Add(id);
        }
        return [.. ids.Where(claimed.Contains)];
    }

    /// <summary>
    /// Gives back a run this worker claimed but will not train now: <see cref="RunStatus.Interrupted"/> when it has
    /// trained epochs to resume, <see cref="RunStatus.Pending"/> otherwise, and its attempt uncounted.
    /// </summary>
    /// <exception cref="LeaseLostException">Another worker has reclaimed the run.</exception>
    public void Release(string sweep, string id, string owner, bool resumable)
    {
        if (Execute("""
            UPDATE runs SET status = @status, owner = NULL, heartbeat = NULL, attempts = attempts - 1
            WHERE sweep = @sweep AND id = @id AND owner = @owner AND status = 'running'
            """, ("status", resumable ? RunStatus.Interrupted : RunStatus.Pending), ("sweep", sweep), ("id", id), ("owner", owner)) != 1)
            throw LeaseLost(sweep, id);
    }

    /// <summary>
    /// Puts the failed runs of <paramref name="sweep"/> (of one shard) back in the queue once the cause of their failure is
    /// fixed: <c>noiselab sweep --retry-failed</c>. A run's checkpoints were cleared when it failed, so it trains again from
    /// its first epoch, and the epochs it stored are dropped now so that the store never shows them under a pending run;
    /// its attempt count is kept. Returns their ids.
    /// </summary>
    public IReadOnlyList<string> RetryFailed(string sweep, int shard = 0, int shards = 1)
    {
        if (shards < 1 || shard < 0 || shard >= shards)
            throw new ArgumentOutOfRangeException(nameof(shard), shard, $"A shard is from 0 to {shards - 1}.");
        List<string> ids = [];
        InTransaction(() =>
        {
            ids = [.. Query("""
                UPDATE runs SET status = 'pending', error = NULL, stacked = 0
                WHERE sweep = @sweep AND status = 'failed' AND position % @shards = @shard
                RETURNING id
                """, r => r.GetString(0), ("sweep", sweep), ("shard", shard), ("shards", shards))];
            foreach (string id in ids)
                Execute("DELETE FROM epochs WHERE sweep = @sweep AND run = @id", ("sweep", sweep), ("id", id));
        });
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    // A run held by a process of this machine that no longer exists (killed with -9) need not wait out its lease.
    private void ExpireDeadWorkersHere(string sweep)
    {
        var owners = Query("SELECT DISTINCT owner FROM runs WHERE sweep = @sweep AND status = 'running' AND owner IS NOT NULL",
            r => r.GetString(0), ("sweep", sweep));
        foreach (string owner in owners.Where(Worker.IsDeadHere))
            Execute("UPDATE runs SET heartbeat = 0 WHERE sweep = @sweep AND owner = @owner AND status = 'running'", ("sweep", sweep), ("owner", owner));
    }

    /// <summary>
    /// Marks <see cref="RunStatus.Interrupted"/>, with the reason, every running run of <paramref name="sweep"/>
    /// held by a process of this machine that has exited (killed with -9, or its store write failed), so that
    /// nothing is left "running" without a process; such a run resumes from its last checkpoint. Returns their ids.
    /// </summary>
    public IReadOnlyList<string> InterruptDeadWorkersHere(string sweep)
    {
        var owners = Query("SELECT DISTINCT owner FROM runs WHERE sweep = @sweep AND status = 'running' AND owner IS NOT NULL",
            r => r.GetString(0), ("sweep", sweep));
        var ids = new List<string>();
        foreach (string owner in owners.Where(Worker.IsDeadHere))
        {
            ids.AddRange(Query("""
                UPDATE runs SET status = 'interrupted', owner = NULL, heartbeat = NULL, error = @reason
                WHERE sweep = @sweep AND owner = @owner AND status = 'running'
                RETURNING id
                """, r => r.GetString(0), ("reason", $"its worker {owner} ended without settling it (killed?); it resumes from its last checkpoint"), ("sweep", sweep), ("owner", owner)));
        }
        return ids;
    }

    /// <summary>
    /// Prepares a claimed run to (re)start after epoch <paramref name="resumeAfter"/> (0 to start afresh):
    /// epochs a previous attempt stored beyond its checkpoint are dropped, so the store and the checkpoint agree.
    /// </summary>
    public void Begin(string sweep, string id, string owner, int resumeAfter) => InTransaction(() =>
    {
        RequireOwner(sweep, id, owner);
        Execute("DELETE FROM epochs WHERE sweep = @sweep AND run = @id AND epoch > @epoch", ("sweep", sweep), ("id", id), ("epoch", resumeAfter));
    });

    /// <summary>Renews the lease; false when another worker has reclaimed the run.</summary>
    public bool Heartbeat(string sweep, string id, string owner) =>
        Execute("UPDATE runs SET heartbeat = @now WHERE sweep = @sweep AND id = @id AND owner = @owner AND status = 'running'",
            ("now", Now()), ("sweep", sweep), ("id", id), ("owner", owner)) == 1;

    /// <summary>Stores one finished epoch of a run this worker holds.</summary>
    /// <exception cref="LeaseLostException">Another worker has reclaimed the run.</exception>
    public void RecordEpoch(string sweep, string id, string owner, EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        InTransaction(() =>
        {
            RequireOwner(sweep, id, owner);
            Execute("""
                INSERT INTO epochs (sweep, run, epoch, record) VALUES (@sweep, @id, @epoch, @record)
                ON CONFLICT (sweep, run, epoch) DO UPDATE SET record = excluded.record
                """,
                ("sweep", sweep), ("id", id), ("epoch", record.Epoch), ("record", JsonSerializer.Serialize(record, s_json)));
            Execute("UPDATE runs SET heartbeat = @now WHERE sweep = @sweep AND id = @id", ("now", Now()), ("sweep", sweep), ("id", id));
            FaultInjection.Hit("store-commit");
        });
    }

    /// <summary>Stores the final figures and marks the run finished.</summary>
    /// <exception cref="LeaseLostException">Another worker has reclaimed the run.</exception>
    /// <param name="sweep">The sweep.</param>
    /// <param name="id">The run.</param>
    /// <param name="owner">The worker holding it.</param>
    /// <param name="result">Its figures.</param>
    /// <param name="seconds">Its training time; a stacked run's time shared by the replicas it trained.</param>
    /// <param name="stacked">The width of the stacked run it was trained in; 0 when it trained alone.</param>
    public void Finish(string sweep, string id, string owner, TrainingResult result, double seconds, int stacked = 0)
    {
        ArgumentNullException.ThrowIfNull(result);
        string json = JsonSerializer.Serialize(new { result.TestLoss, result.TestAccuracy, result.TestMetrics, result.StateFingerprint, result.EarlyStopping }, s_json);
        Settle(sweep, id, owner, RunStatus.Finished, "result = @result, seconds = @seconds, error = NULL, stacked = @stacked", ("result", json), ("seconds", seconds), ("stacked", stacked));
    }

    /// <summary>
    /// Ends a run without a result: <see cref="RunStatus.Diverged"/>, <see cref="RunStatus.Failed"/>,
    /// <see cref="RunStatus.Pruned"/> or <see cref="RunStatus.Interrupted"/>, with the reason.
    /// </summary>
    /// <exception cref="LeaseLostException">Another worker has reclaimed the run.</exception>
    public void Stop(string sweep, string id, string owner, string status, string reason, int stacked = 0)
    {
        if (status is not (RunStatus.Diverged or RunStatus.Failed or RunStatus.Pruned or RunStatus.Interrupted))
            throw new ArgumentOutOfRangeException(nameof(status), status, "A run stops as diverged, failed, pruned or interrupted.");
        Settle(sweep, id, owner, status, "error = @error, stacked = @stacked", ("error", reason), ("stacked", stacked));
    }

    private void Settle(string sweep, string id, string owner, string status, string assignments, params (string Name, object Value)[] values)
    {
        int changed = Execute($"UPDATE runs SET status = @status, owner = NULL, heartbeat = NULL, {assignments} WHERE sweep = @sweep AND id = @id AND owner = @owner AND status = 'running'",
            [.. values, ("status", status), ("sweep", sweep), ("id", id), ("owner", owner)]);
        if (changed != 1)
            throw LeaseLost(sweep, id);
    }

    /// <summary>The runs of <paramref name="sweep"/> not finished yet.</summary>
    public IReadOnlySet<string> Unfinished(string sweep) =>
        Query("SELECT id FROM runs WHERE sweep = @sweep AND status <> 'finished'", r => r.GetString(0), ("sweep", sweep)).ToHashSet();

    /// <summary>Every run of <paramref name="sweep"/>, by id.</summary>
    public IReadOnlyList<StoredRun> Runs(string sweep) =>
        Query("SELECT id, plan, status, config, result, seconds, error, position, attempts, owner, heartbeat, stacked FROM runs WHERE sweep = @sweep ORDER BY id",
            r => new StoredRun(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetDouble(5), r.IsDBNull(6) ? null : r.GetString(6),
                Convert.ToInt32(r.GetValue(7), CultureInfo.InvariantCulture), Convert.ToInt32(r.GetValue(8), CultureInfo.InvariantCulture))
            {
                Owner = r.IsDBNull(9) ? null : r.GetString(9),
                Heartbeat = r.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(10), CultureInfo.InvariantCulture)),
                Stacked = Convert.ToInt32(r.GetValue(11), CultureInfo.InvariantCulture),
            },
            ("sweep", sweep));

    /// <summary>How many runs of <paramref name="sweep"/> are in each state.</summary>
    public IReadOnlyDictionary<string, int> Counts(string sweep) =>
        Query("SELECT status, count(*) FROM runs WHERE sweep = @sweep GROUP BY status",
            r => (r.GetString(0), Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture)), ("sweep", sweep)).ToDictionary(p => p.Item1, p => p.Item2);

    /// <summary>The newest stored epoch of each running run of <paramref name="sweep"/>.</summary>
    public IReadOnlyList<(string Id, EpochRecord Latest)> RunningEpochs(string sweep) =>
        Query("""
            SELECT r.id, e.record FROM runs r JOIN epochs e ON e.sweep = r.sweep AND e.run = r.id
            WHERE r.sweep = @sweep AND r.status = 'running'
              AND e.epoch = (SELECT max(x.epoch) FROM epochs x WHERE x.sweep = r.sweep AND x.run = r.id)
            ORDER BY r.position
            """, r => (r.GetString(0), JsonSerializer.Deserialize<EpochRecord>(r.GetString(1), s_json)!), ("sweep", sweep));

    /// <summary>The name of the noise generator the runs of <paramref name="sweep"/> draw with; null when the store has no such sweep.</summary>
    public string? NoiseGeneratorOf(string sweep) => Scalar("SELECT generator FROM sweeps WHERE name = @name", ("name", sweep)) as string;

    /// <summary>The sweeps in the store with their spec text, by name.</summary>
    public IReadOnlyList<(string Name, string Spec)> Sweeps() =>
        Query("SELECT name, spec FROM sweeps ORDER BY name", r => (r.GetString(0), r.GetString(1)));

    /// <summary>How many epochs are stored for a run.</summary>
    public long EpochCount(string sweep, string id) =>
        Convert.ToInt64(Scalar("SELECT count(*) FROM epochs WHERE sweep = @sweep AND run = @id", ("sweep", sweep), ("id", id)), CultureInfo.InvariantCulture);

    /// <summary>The stored epochs of a run, in order.</summary>
    public IReadOnlyList<EpochRecord> Epochs(string sweep, string id) =>
        Query("SELECT record FROM epochs WHERE sweep = @sweep AND run = @id ORDER BY epoch",
            r => JsonSerializer.Deserialize<EpochRecord>(r.GetString(0), s_json)!, ("sweep", sweep), ("id", id));

    /// <summary>
    /// The record of epoch <paramref name="epoch"/> of every finished run of <paramref name="sweep"/> that has one:
    /// what a pruner compares a running run with.
    /// </summary>
    public IReadOnlyList<(string Id, EpochRecord Record)> FinishedEpochs(string sweep, int epoch) =>
        Query("""
            SELECT r.id, e.record FROM runs r JOIN epochs e ON e.sweep = r.sweep AND e.run = r.id
            WHERE r.sweep = @sweep AND r.status = 'finished' AND e.epoch = @epoch ORDER BY r.id
            """, r => (r.GetString(0), JsonSerializer.Deserialize<EpochRecord>(r.GetString(1), s_json)!), ("sweep", sweep), ("epoch", epoch));

    /// <summary>
    /// Every stored epoch of the store, by sweep, run and epoch, read one row at a time as it is enumerated
    /// (never all in memory), for exports of any size. Enumerate it to the end or dispose the enumerator
    /// before the next call on this store.
    /// </summary>
    public IEnumerable<(string Sweep, string Run, EpochRecord Record)> StreamEpochs()
    {
        using DbCommand command = Command("SELECT sweep, run, record FROM epochs ORDER BY sweep, run, epoch", []);
        using DbDataReader reader = command.ExecuteReader();
        while (reader.Read())
            yield return (reader.GetString(0), reader.GetString(1), JsonSerializer.Deserialize<EpochRecord>(reader.GetString(2), s_json)!);
    }

    /// <summary>Runs an SQLite integrity check; "ok" when the file is sound (PostgreSQL checks itself and answers "ok").</summary>
    public string IntegrityCheck() =>
        IsPostgres(Location) ? "ok" : string.Join("; ", Query("PRAGMA integrity_check", r => r.GetString(0)));

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private void RequireOwner(string sweep, string id, string owner)
    {
        if (Scalar("SELECT owner FROM runs WHERE sweep = @sweep AND id = @id AND status = 'running'", ("sweep", sweep), ("id", id)) as string != owner)
            throw LeaseLost(sweep, id);
    }

    private LeaseLostException LeaseLost(string sweep, string id) =>
        new($"The run '{id}' of sweep '{sweep}' was reclaimed by another worker after this one's heartbeat went stale; this worker leaves it.");

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private void InTransaction(Action body)
    {
        using DbTransaction transaction = _connection.BeginTransaction();
        _transaction = transaction;
        try
        {
            body();
            transaction.Commit();
        }
        finally
        {
            _transaction = null;
        }
    }

    private int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using DbCommand command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    private object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using DbCommand command = Command(sql, parameters);
        return command.ExecuteScalar();
    }

    private List<T> Query<T>(string sql, Func<DbDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        using DbCommand command = Command(sql, parameters);
        using DbDataReader reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(read(reader));
        return rows;
    }

    private DbCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        DbCommand command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            DbParameter parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
