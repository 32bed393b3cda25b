using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace NoiseLab.Experiments;

/// <summary>
/// What an SQLite file holds, found without changing a byte of it, through a read-only connection: its header
/// (application_id, user_version) and its tables.
/// A file that is not SQLite, is damaged, belongs to another application or to a newer NoiseLab is refused
/// here, before the store switches it to WAL or creates a table in it.
/// </summary>
internal static class SqliteStoreFile
{
    private const int HeaderLength = 100;
    private static readonly byte[] s_magic = "SQLite format 3\0"u8.ToArray();

    /// <summary>
    /// Throws <see cref="RunStoreException"/> unless <paramref name="path"/> is missing, empty, an empty SQLite
    /// database or a NoiseLab store this NoiseLab reads; returns the store's schema version (null for none yet).
    /// </summary>
    public static int? Inspect(string path)
    {
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
            return null;
        // Everything is read through SQLite, never through a file handle of NoiseLab's own: closing any other
        // handle to the file would drop the POSIX locks this process's SQLite connections hold on it, and another
        // worker's closing connection would then delete the write-ahead log under them (a short read, seen with 32
        // workers on one store).
        SqliteConnection connection;
        try
        {
            connection = OpenReadOnly(path);
        }
        catch (SqliteException e) when ((e.SqliteErrorCode & 0xFF) == 26)
        {
            throw NotSqlite(path, e);
        }
        using (connection)
        {
            try
            {
                List<string> tables = Tables(connection);
                if (!tables.Contains("noiselab_meta"))
                {
                    if (tables.Count > 0)
                        throw Foreign(path, $"tables {string.Join(", ", tables.Take(3).Select(t => $"'{DataSetNames.Shorten(t)}'"))}{(tables.Count > 3 ? $" and {tables.Count - 3} more" : "")}");
                    // An empty database an application has already claimed is that application's.
                    long applicationId = Pragma(connection, "application_id"), userVersion = Pragma(connection, "user_version");
                    if (applicationId != 0 || userVersion != 0)
                        throw Foreign(path, string.Create(CultureInfo.InvariantCulture, $"application_id {applicationId}, user_version {userVersion}"));
                    return null;
                }
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT value FROM noiselab_meta WHERE key = 'schema'";
                if (command.ExecuteScalar() is not string text || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int schema))
                    throw new RunStoreException($"'{path}' has a NoiseLab table without a schema version, so it is damaged; it was left unchanged; restore it from a copy, or pass another --store.");
                if (schema > RunStore.SchemaVersion)
                    throw new RunStoreException($"'{path}' was written by a newer NoiseLab (store schema {schema}, this one reads {RunStore.SchemaVersion}); upgrade NoiseLab to use it.");
                return schema;
            }
            catch (SqliteException e) when ((e.SqliteErrorCode & 0xFF) is 11 or 26)
            {
                throw Damaged(path, e);
            }
        }
    }

    /// <summary>
    /// A connection that can only read <paramref name="path"/> and changes nothing in it (a WAL database gets the
    /// '-wal' and '-shm' files any SQLite reader makes). Where its folder or mount is read-only, SQLite cannot make
    /// the shared-memory file a WAL database needs, so the file is read as immutable (nothing can write it there);
    /// that is refused when a WAL file beside it holds writes the file does not have yet.
    /// </summary>
    public static SqliteConnection OpenReadOnly(string path)
    {
        try
        {
            // With locks, as every connection must: an immutable one takes none, and closing it would drop the locks
            // of this process's other connections to the file. A WAL file gets its '-wal' and '-shm' files so.
            return Open(path, immutable: false);
        }
        catch (SqliteException e) when (IsReadOnly(e))
        {
            var wal = new FileInfo(path + "-wal");
            if (wal.Exists && wal.Length > 0)
                throw new RunStoreException($"The store '{path}' is read-only here and its write-ahead log '{wal.Name}' holds writes that SQLite can only read from a writable folder; copy the store and its '-wal' file to a writable folder and pass that --store.", e);
            try
            {
                return Open(path, immutable: true);
            }
            catch (SqliteException again) when ((again.SqliteErrorCode & 0xFF) == 11)
            {
                throw Damaged(path, again);
            }
        }
        catch (SqliteException e) when ((e.SqliteErrorCode & 0xFF) == 11)
        {
            throw Damaged(path, e);
        }
    }

    /// <summary>Whether <paramref name="error"/> says the store may not be written here: a read-only file, folder or mount.</summary>
    public static bool IsReadOnly(SqliteException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return (error.SqliteErrorCode & 0xFF) is 3 or 8 or 14 or 23;
    }

    private static SqliteConnection Open(string path, bool immutable)
    {
        // A URI, so that immutable=1 can be asked for; '%', '?' and '#' in the path would otherwise be read as URI syntax.
        string uri = "file:" + Path.GetFullPath(path).Replace("%", "%25", StringComparison.Ordinal).Replace("?", "%3F", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal)
            + (immutable ? "?immutable=1" : "");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = uri, Mode = SqliteOpenMode.ReadOnly, DefaultTimeout = 120, Pooling = false }.ToString());
        try
        {
            connection.Open();
            // Opening is lazy: the first read is what meets a damaged file or a missing shared-memory file.
            Tables(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// SQLite calls the file no database: either it has SQLite's header but not its pages (damaged), or it is
    /// something else, described by its first bytes. No SQLite connection of this process holds it open (SQLite just
    /// refused it), so reading it with a handle of NoiseLab's own here drops no lock.
    /// </summary>
    private static RunStoreException NotSqlite(string path, SqliteException error)
    {
        byte[] header = new byte[HeaderLength];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            read = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        if (read >= HeaderLength && header.AsSpan(0, s_magic.Length).SequenceEqual(s_magic))
            return Damaged(path, error);
        return new RunStoreException($"'{path}' is not an SQLite database ({Beginning(header.AsSpan(0, read))}), so it is not a NoiseLab store; it was left unchanged; pass the store a sweep wrote, or a new file name.", error);
    }

    private static long Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    // What the file begins with instead, in words: its length when short, else its first printable characters.
    private static string Beginning(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength)
            return string.Create(CultureInfo.InvariantCulture, $"it is {bytes.Length} bytes long, shorter than SQLite's {HeaderLength}-byte header");
        string text = new([.. Encoding.ASCII.GetString(bytes[..16]).Select(c => c is >= ' ' and <= '~' ? c : '.')]);
        return $"it begins with '{text}', not SQLite's header";
    }

    private static List<string> Tables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
            names.Add(reader.GetString(0));
        return names;
    }

    private static RunStoreException Foreign(string path, string evidence) =>
        new($"'{path}' is an SQLite database of another application ({evidence}), not a NoiseLab store; it was left unchanged; pass another --store (a new file name creates a store).");

    private static RunStoreException Damaged(string path, SqliteException error) =>
        new($"'{path}' is a damaged SQLite database ({((error.SqliteErrorCode & 0xFF) == 11 ? "SQLite finds its pages malformed" : "it has SQLite's header but not its pages")}); it was left unchanged; restore it from a copy, or pass another --store.", error);
}
