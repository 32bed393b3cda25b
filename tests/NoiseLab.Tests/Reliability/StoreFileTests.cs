using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using NoiseLab.Experiments;
using NoiseLab.Tests.Experiments;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Reliability;

/// <summary>
/// Issue #15, defect 7: a file that is not a store of this NoiseLab is refused in one sentence and left byte
/// for byte as it was (no switch to WAL, no table, no file beside it); a store on a read-only mount is read
/// by status, report and export, and a sweep on it is refused in one sentence.
/// </summary>
public sealed class StoreFileTests : IDisposable
{
    private const string Spec = """
        name: ro
        limit_train: 300
        epochs: 2
        seeds: [0]
        models: ["mlp:8"]
        optimizers: [{optimizer: sgd, lr: 0.1}]
        noise: {none: []}
        """;

    private readonly TemporaryFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private static string Hash(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static string[] Listing(string folder) => [.. Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private static void Sql(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void AssertOneSentence(string error)
    {
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("noiselab: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"SQLite Error \d+", error);
    }

    // Each kind of file that is not this NoiseLab's store, made as its own program would make it.
    private string Make(string kind, string path)
    {
        switch (kind)
        {
            case "text":
                File.WriteAllText(path, "name,value\n" + string.Concat(Enumerable.Repeat("a,1\n", 40)));
                break;
            case "short":
                File.WriteAllText(path, "hello");
                break;
            case "foreign":
                Sql(path, "CREATE TABLE customers (id INTEGER); INSERT INTO customers VALUES (1)");
                break;
            case "foreign-wal":
                Sql(path, "PRAGMA journal_mode = WAL; CREATE TABLE runs (id TEXT); INSERT INTO runs VALUES ('x')");
                break;
            case "claimed":
                Sql(path, "PRAGMA application_id = 1196444487; PRAGMA user_version = 4");
                break;
            case "damaged":
                using (RunStore store = RunStore.Open(path))
                    store.Register(SweepSpec.Parse(Spec, "ro.yaml"), Spec);
                SqliteConnection.ClearAllPools();
                using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
                {
                    file.Position = 100;
                    file.Write(Enumerable.Repeat((byte)0xFF, 3000).ToArray());
                }
                break;
            case "newer":
                using (RunStore.Open(path))
                {
                }
                SqliteConnection.ClearAllPools();
                Sql(path, "PRAGMA journal_mode = DELETE; UPDATE noiselab_meta SET value = '9' WHERE key = 'schema'");
                break;
        }
        return path;
    }

    [Theory]
    [InlineData("text", "is not an SQLite database (it begins with 'name,value.a,1.a', not SQLite's header), so it is not a NoiseLab store; it was left unchanged; pass the store a sweep wrote, or a new file name.")]
    [InlineData("short", "is not an SQLite database (it is 5 bytes long, shorter than SQLite's 100-byte header), so it is not a NoiseLab store; it was left unchanged; pass the store a sweep wrote, or a new file name.")]
    [InlineData("foreign", "is an SQLite database of another application (tables 'customers'), not a NoiseLab store; it was left unchanged; pass another --store (a new file name creates a store).")]
    [InlineData("foreign-wal", "is an SQLite database of another application (tables 'runs'), not a NoiseLab store; it was left unchanged; pass another --store (a new file name creates a store).")]
    [InlineData("claimed", "is an SQLite database of another application (application_id 1196444487, user_version 4), not a NoiseLab store; it was left unchanged; pass another --store (a new file name creates a store).")]
    [InlineData("damaged", "is a damaged SQLite database (SQLite finds its pages malformed); it was left unchanged; restore it from a copy, or pass another --store.")]
    [InlineData("newer", "was written by a newer NoiseLab (store schema 9, this one reads 4); upgrade NoiseLab to use it.")]
    public void A_file_that_is_not_a_store_of_this_noiselab_is_refused_in_one_sentence_and_left_byte_for_byte_as_it_was(string kind, string expected)
    {
        string folder = Path.Combine(_folder.Path, "stores");
        Directory.CreateDirectory(folder);
        string path = Make(kind, Path.Combine(folder, kind + ".db"));
        SqliteConnection.ClearAllPools();
        string before = Hash(path);
        string[] listing = Listing(folder);
        File.WriteAllText(_folder.File("ro.yaml"), Spec);

        var sweep = CliProcess.Run("sweep", _folder.File("ro.yaml"), "--store", path, "--threads", "1", "--checkpoints", _folder.File("checkpoints"));
        var reading = Assert.Throws<RunStoreException>(() => RunStore.OpenForReading(path));
        var writing = Assert.Throws<RunStoreException>(() => RunStore.Open(path));

        Assert.Equal(2, sweep.ExitCode);
        Assert.Equal($"noiselab: '{path}' {expected}", sweep.StandardError.Trim());
        AssertOneSentence(sweep.StandardError);
        Assert.Equal($"'{path}' {expected}", reading.Message);
        Assert.Equal(reading.Message, writing.Message);
        Assert.Equal(before, Hash(path));
        // A WAL file read with SQLite's locks gets the empty '-wal' and the '-shm' any SQLite reader makes; nothing else appears.
        string[] readerFiles = kind is "foreign-wal" or "damaged" ? [Path.GetFileName(path) + "-shm", Path.GetFileName(path) + "-wal"] : [];
        Assert.Equal(listing, Listing(folder).Except(readerFiles));
        Assert.All(readerFiles.Where(f => f.EndsWith("-wal", StringComparison.Ordinal)), f => Assert.Equal(0, new FileInfo(Path.Combine(folder, f)).Length));
    }

    // A store trained here, then seen through a read-only mount.
    private (string Folder, string Store) TrainedStore()
    {
        string folder = Path.Combine(_folder.Path, "mount");
        Directory.CreateDirectory(folder);
        string store = Path.Combine(folder, "ro.db");
        using (RunStore opened = RunStore.Open(store))
            SweepRunner.Run(SweepSpec.Parse(Spec, "ro.yaml"), Spec, opened, RunStoreTests.Options(_folder.File("trained")));
        SqliteConnection.ClearAllPools();
        File.WriteAllText(_folder.File("ro.yaml"), Spec);
        return (folder, store);
    }

    [SkippableFact]
    public void A_store_on_a_read_only_mount_is_read_by_status_report_and_export_and_a_sweep_on_it_is_refused()
    {
        var (folder, store) = TrainedStore();
        string before = Hash(store);
        string[] listing = Listing(folder);

        var status = PrivateMount.ReadOnly(folder, "status", "--store", store);
        var report = PrivateMount.ReadOnly(folder, "report", "--store", store, "--out", _folder.File("report"));
        var export = PrivateMount.ReadOnly(folder, "export", "--store", store, "--out", _folder.File("export"));
        var sweep = PrivateMount.ReadOnly(folder, "sweep", _folder.File("ro.yaml"), "--store", store, "--threads", "1", "--checkpoints", _folder.File("checkpoints"));

        Assert.True(status.ExitCode == 0, status.StandardError);
        Assert.Equal("ro: 0 pending, 0 running, 0 interrupted, 1 finished, 0 diverged, 0 pruned, 0 failed", status.StandardOutput.Trim());
        Assert.True(report.ExitCode == 0, report.StandardError);
        Assert.Contains("| none | 1 |", File.ReadAllText(_folder.File("report/report.md")), StringComparison.Ordinal);
        Assert.True(export.ExitCode == 0, export.StandardError);
        Assert.Equal(3, File.ReadAllLines(_folder.File("export/epochs.csv")).Length);   // the header and two epochs
        Assert.Equal(2, sweep.ExitCode);
        Assert.Equal($"noiselab: The store '{store}' is read-only here (a read-only file, folder or mount), so nothing can be stored in it; 'noiselab status', 'report' and 'export' can read it; copy it to a writable folder and pass that --store to train.", sweep.StandardError.Trim());
        AssertOneSentence(sweep.StandardError);
        Assert.Equal(before, Hash(store));
        Assert.Equal(listing, Listing(folder));
    }

    [SkippableTheory]
    [InlineData("schema-1", "The store '{0}' has schema 1, which this NoiseLab upgrades to 4 when it opens a store, but it is read-only here; copy it to a writable folder and pass that --store.")]
    [InlineData("unsaved-wal", "The store '{0}' is read-only here and its write-ahead log 'ro.db-wal' holds writes that SQLite can only read from a writable folder; copy the store and its '-wal' file to a writable folder and pass that --store.")]
    public void A_read_only_store_that_could_only_be_read_by_changing_it_is_refused_in_one_sentence(string kind, string expected)
    {
        string folder = Path.Combine(_folder.Path, "mount");
        Directory.CreateDirectory(folder);
        string store = Path.Combine(folder, "ro.db");
        if (kind == "schema-1")
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "store-schema1.db"), store);
        }
        else
        {
            // Copied while a worker holds the store open: its last commits are in the WAL file only.
            string live = _folder.File("live.db");
            using RunStore open = RunStore.Open(live);
            open.Register(SweepSpec.Parse(Spec, "ro.yaml"), Spec);
            File.Copy(live, store);
            File.Copy(live + "-wal", store + "-wal");
        }
        string before = Hash(store);

        var status = PrivateMount.ReadOnly(folder, "status", "--store", store);

        Assert.Equal(2, status.ExitCode);
        Assert.Equal("noiselab: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, store), status.StandardError.Trim());
        Assert.Equal(before, Hash(store));
    }
}
