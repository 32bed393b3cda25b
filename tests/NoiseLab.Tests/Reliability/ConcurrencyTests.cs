using System.Diagnostics;
using Microsoft.Data.Sqlite;
using NoiseLab.Experiments;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Reliability;

/// <summary>Many workers on one store at the same instant: no "database is locked", no run taken twice, one migration.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private static List<(int ExitCode, string Error)> RunTogether(int count, string[] arguments)
    {
        var workers = Enumerable.Range(0, count).Select(_ => CliProcess.Launch(arguments)).ToList();
        foreach (var worker in workers)
            Assert.True(worker.Process.WaitForExit(TimeSpan.FromMinutes(5)), "a worker did not finish in 5 minutes");
        var results = workers.Select(w => (w.Process.ExitCode, w.Error.GetAwaiter().GetResult())).ToList();
        foreach (var worker in workers)
            worker.Dispose();
        return results;
    }

    [Fact]
    public void Thirty_two_workers_starting_together_on_a_new_sqlite_store_hit_no_lock_error_and_train_every_run_once()
    {
        string spec = _folder.File("stampede.yaml"), store = _folder.File("stampede.db");
        File.WriteAllText(spec, """
            name: stampede
            data: "synthetic:adding:length=8,train=64"
            epochs: 1
            seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
            models: ["mlp:4"]
            optimizers: [{optimizer: sgd, lr: 0.05}]
            noise: {none: [], input: ["input:gaussian:sigma=0.1"]}
            """);

        var workers = RunTogether(32, ["sweep", spec, "--store", store, "--threads", "1"]);

        Assert.All(workers, w => Assert.True(w.ExitCode == 0, $"a worker exited {w.ExitCode}, saying: {w.Error[Math.Max(0, w.Error.Length - 2000)..]}"));
        Assert.All(workers, w => Assert.DoesNotContain("locked", w.Error, StringComparison.OrdinalIgnoreCase));
        using RunStore opened = RunStore.Open(store);
        var runs = opened.Runs("stampede");
        Assert.Equal(32, runs.Count);
        Assert.All(runs, r => Assert.Equal((RunStatus.Finished, 1, 1L), (r.Status, r.Attempts, opened.EpochCount("stampede", r.Id))));
        Assert.Equal("ok", opened.IntegrityCheck());
    }

    [Fact]
    public void Opening_a_store_again_in_a_process_keeps_the_locks_its_open_connection_holds()
    {
        // With 32 workers on one store a worker's run died of a short read: checking the file's header through a
        // file handle of its own dropped the POSIX locks its open connection held (closing any handle to a file does
        // that), so another worker's closing connection thought itself the last and deleted the write-ahead log.
        string path = _folder.File("locks.db");
        using RunStore open = RunStore.Open(path);
        Assert.Empty(open.Runs("none"));
        int before = PosixLocksOn(path);
        Assert.True(before > 0, "an open WAL store holds a POSIX lock on its file");

        RunStore.Open(path).Dispose();
        RunStore.OpenForReading(path).Dispose();

        Assert.Equal(before, PosixLocksOn(path));
    }

    // The POSIX (fcntl) locks this process holds on the file's inode, from /proc/locks.
    private static int PosixLocksOn(string path)
    {
        var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        string inode = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        string pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return File.ReadAllLines("/proc/locks")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(f => f.Length >= 6 && f[1] == "POSIX" && f[4] == pid && f[5].EndsWith(":" + inode, StringComparison.Ordinal));
    }

    [Fact]
    public void Of_eight_workers_starting_together_on_a_schema_1_store_exactly_one_upgrades_it()
    {
        string store = _folder.File("old.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "store-schema1.db"), store);

        var workers = RunTogether(8, ["status", "--store", store]);

        Assert.All(workers, w => Assert.Equal((0, ""), (w.ExitCode, w.Error)));
        using RunStore opened = RunStore.Open(store);
        var migrations = opened.Migrations();
        Assert.Equal([2, 3, 4], migrations.Select(m => m.Version));
        // One of the eight upgraded it through both steps, in one transaction; not this test's own open.
        Assert.Single(migrations.Select(m => m.Worker).Distinct());
        Assert.NotEqual(Worker.Current, migrations[0].Worker);
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void Two_workers_racing_to_reclaim_a_stale_run_produce_exactly_one_winner(string kind)
    {
        using var where = new TestStore(kind);
        const string Spec = "name: race\nepochs: 1\nseeds: [0]\nmodels: [\"mlp:4\"]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n";
        using (RunStore setUp = RunStore.Open(where.Location))
            setUp.Register(SweepSpec.Parse(Spec, "race.yaml"), Spec);
        using RunStore a = RunStore.Open(where.Location), b = RunStore.Open(where.Location);
        var lease = TimeSpan.FromMilliseconds(250);

        for (int round = 0; round < 10; round++)
        {
            // A worker takes the run and dies: after the lease (250 ms here) its heartbeat is stale.
            Thread.Sleep(300);
            Assert.NotNull(a.Claim("race", $"dead-{round}", lease));
            Thread.Sleep(300);
            using var barrier = new Barrier(2);
            var claims = new[] { (Store: a, Name: $"a-{round}"), (Store: b, Name: $"b-{round}") }
                .Select(w => Task.Run(() =>
                {
                    barrier.SignalAndWait();
                    return w.Store.Claim("race", w.Name, lease);
                }))
                .ToArray();
            Task.WaitAll(claims);

            Assert.Single(claims, c => c.Result is not null);
            Assert.Equal(2 * round + 2, a.Runs("race").Single().Attempts);
        }
    }
}
