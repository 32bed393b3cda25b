using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace NoiseLab.Experiments;

/// <summary>A store in one SQLite file, in WAL mode so that readers never block the writer.</summary>
internal sealed class SqliteDialect(string path) : StoreDialect
{
    public override string Describe => $"'{path}'";

    public override DbConnection Connect()
    {
        // Before anything is switched or created: a foreign, damaged or newer file is refused unchanged.
        if (Directory.Exists(path))
            throw new RunStoreException($"The store '{path}' is a folder; pass a file name for it, e.g. {Path.Combine(path, "NAME.db")}.");
        SqliteStoreFile.Inspect(path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        try
        {
            if (folder is not null)
                Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e is UnauthorizedAccessException ? "this user may not create it" : File.Exists(folder) ? "a file of that name is in the way"
                : e is FileNotFoundException or DirectoryNotFoundException ? "no folder can be made there" : e.Message.Split(" : ", 2)[0].TrimEnd('.');
            throw new RunStoreException($"The store '{path}' cannot be made: its folder '{folder}' cannot be created ({reason}); pass a --store in a folder you can write to.", e);
        }
        // The busy timeout makes a worker wait for another's write instead of failing with "database is locked".
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 120, Pooling = false }.ToString());
        try
        {
            connection.Open();
            using DbCommand pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout = 120000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // BEGIN IMMEDIATE takes the write lock at once, so two workers never both see an empty store.
    public override DbTransaction BeginSetUp(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    public override bool HasTable(DbConnection connection, DbTransaction transaction, string name) =>
        Count(connection, transaction, $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{name}'") > 0;

    public override bool HasForeignTables(DbConnection connection, DbTransaction transaction) =>
        !HasTable(connection, transaction, "noiselab_meta") && Count(connection, transaction, "SELECT count(*) FROM sqlite_master WHERE type = 'table'") > 0;

    // SQLite has one writer at a time, so the claim's UPDATE is atomic without row locks.
    public override string SkipLockedRows => "";

    private static long Count(DbConnection connection, DbTransaction transaction, string sql)
    {
        using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
