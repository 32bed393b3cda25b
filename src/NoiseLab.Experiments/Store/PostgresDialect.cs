using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace NoiseLab.Experiments;

/// <summary>
/// A store in a PostgreSQL database shared by workers on many machines (the way Optuna's distributed
/// mode shares one database), named by a URL: postgres://user:password@host:port/database.
/// </summary>
internal sealed class PostgresDialect : StoreDialect
{
    // Any fixed number serves; it only has to be the same for every NoiseLab worker.
    private const long SetUpLockKey = 0x4E4F4953454C4142;
    private readonly string _connectionString;

    public PostgresDialect(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || string.IsNullOrEmpty(uri.Host) || uri.AbsolutePath.Trim('/').Length == 0)
            throw new RunStoreException($"'{Redact(url)}' is not a PostgreSQL URL; write postgres://user:password@host:port/database.");
        string[] user = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')),
            Username = user[0].Length > 0 ? Uri.UnescapeDataString(user[0]) : null,
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
            Timeout = 30,
            CommandTimeout = 120,
            // A pooled connection outlives a server restart as a dead one that the next Open would hand out;
            // a store opens few connections (the worker's, its heartbeat's), so each is made afresh.
            Pooling = false,
        };
        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2);
            if (parts[0] == "sslmode" && parts.Length == 2 && Enum.TryParse(parts[1], ignoreCase: true, out SslMode mode))
                builder.SslMode = mode;
            else
                throw new RunStoreException($"The store URL option '{parts[0]}' is not understood; NoiseLab accepts sslmode=disable|prefer|require|verify-ca|verify-full.");
        }
        _connectionString = builder.ToString();
        Describe = $"'{Redact(url)}'";
    }

    public override string Describe { get; }

    public override DbConnection Connect()
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public override DbTransaction BeginSetUp(DbConnection connection)
    {
        DbTransaction transaction = connection.BeginTransaction();
        using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({SetUpLockKey})");
        command.ExecuteNonQuery();
        return transaction;
    }

    public override bool HasTable(DbConnection connection, DbTransaction transaction, string name)
    {
        using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @name";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "name";
        parameter.Value = name;
        command.Parameters.Add(parameter);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    // A shared database may hold other applications' tables; only tables with the store's names matter.
    public override bool HasForeignTables(DbConnection connection, DbTransaction transaction) =>
        !HasTable(connection, transaction, "noiselab_meta")
        && (HasTable(connection, transaction, "runs") || HasTable(connection, transaction, "sweeps") || HasTable(connection, transaction, "epochs"));

    public override string SkipLockedRows => " FOR UPDATE SKIP LOCKED";

    /// <summary>The URL with its password replaced, for messages and logs.</summary>
    public static string Redact(string url) => StoreLocation.Redact(url);
}
