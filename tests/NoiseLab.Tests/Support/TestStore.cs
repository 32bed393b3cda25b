using Microsoft.Data.Sqlite;
using Npgsql;

namespace NoiseLab.Tests.Support;

/// <summary>
/// A fresh, empty store location for one test: an SQLite file in a temporary folder, or a new database
/// on the PostgreSQL server the tests can reach (dropped afterwards). .ci/run starts a server and sets
/// NOISELAB_TEST_POSTGRES; elsewhere the PostgreSQL tests skip, saying how to run them.
/// </summary>
internal sealed class TestStore : IDisposable
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    private static readonly Lazy<string?> s_server = new(FindServer);
    private readonly TemporaryFolder? _folder;
    private readonly string? _database;

    public TestStore(string kind)
    {
        if (kind == Postgres)
        {
            string server = s_server.Value ?? throw new SkipException(SkipReason);
            _database = "noiselab_test_" + Guid.NewGuid().ToString("N")[..12];
            Admin($"CREATE DATABASE {_database}");
            var builder = new UriBuilder(server) { Path = "/" + _database };
            Location = builder.Uri.ToString();
        }
        else
        {
            _folder = new TemporaryFolder();
            Location = _folder.File("store.db");
        }
    }

    public static string SkipReason =>
        "No PostgreSQL server is reachable: .ci/run starts one; to run these tests here, start one and set NOISELAB_TEST_POSTGRES=postgres://user:password@127.0.0.1:5432/postgres (a role that may create databases).";

    /// <summary>The store's location, as given to --store.</summary>
    public string Location { get; }

    /// <summary>A folder for everything else the test writes (checkpoints, specs).</summary>
    public string Folder => _folder?.Path ?? (_scratch ??= new TemporaryFolder()).Path;

    private TemporaryFolder? _scratch;

    public static IEnumerable<object[]> Kinds => [[Sqlite], [Postgres]];

    private static string? FindServer()
    {
        string? url = Environment.GetEnvironmentVariable("NOISELAB_TEST_POSTGRES");
        bool required = Environment.GetEnvironmentVariable("NOISELAB_REQUIRE_POSTGRES") == "1";
        url ??= "postgres://noiselab:noiselab@127.0.0.1:5432/postgres";
        try
        {
            using var connection = new NpgsqlConnection(ConnectionString(url, timeoutSeconds: 3));
            connection.Open();
            return url;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException && !required)
        {
            return null;
        }
    }

    private static string ConnectionString(string url, int timeoutSeconds)
    {
        var uri = new Uri(url);
        string[] user = uri.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host, Port = uri.Port > 0 ? uri.Port : 5432, Database = uri.AbsolutePath.Trim('/'),
            Username = Uri.UnescapeDataString(user[0]), Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
            Timeout = timeoutSeconds, Pooling = false,
        }.ToString();
    }

    private static void Admin(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString(s_server.Value!, 10));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>Ends every connection to the test's PostgreSQL database but this call's own, as a server restart would.</summary>
    public int DropConnections()
    {
        using var connection = new NpgsqlConnection(ConnectionString(s_server.Value!, 10));
        connection.Open();
        using var command = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()", connection);
        command.Parameters.AddWithValue("name", _database ?? throw new InvalidOperationException("Only a PostgreSQL store has connections to drop."));
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (_database is not null)
            Admin($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        _folder?.Dispose();
        _scratch?.Dispose();
    }
}
