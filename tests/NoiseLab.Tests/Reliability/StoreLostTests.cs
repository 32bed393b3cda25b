using System.Diagnostics;
using Microsoft.Data.Sqlite;
using NoiseLab.Experiments;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Reliability;

/// <summary>
/// Issue #15, defect 1: the store itself failing in the middle of a sweep, end to end. SQLite's disk fills
/// (a small tmpfs, so SQLite meets ENOSPC and says "database or disk is full"), or the PostgreSQL server drops
/// the sweep's connections (as a restart does). Either way the sweep ends with exit 1 and one sentence that
/// names the store, the cause in words and the fix; the run is stored interrupted with the reason, never
/// left running; and it resumes to the uninterrupted result.
/// </summary>
public sealed class StoreLostTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private static string Spec(string name, int epochs, string seeds) => $"""
        name: {name}
        limit_train: 300
        epochs: {epochs}
        seeds: [{seeds}]
        models: ["mlp:8"]
        optimizers: [{"{"}optimizer: momentum, lr: 0.05{"}"}]
        noise: {"{"}none: []{"}"}
        """;

    private static SweepOptions OneThread(string checkpoints) => new() { Threads = 1, CheckpointRoot = checkpoints };

    private static string LastLine(string text) => text.Trim().Split('\n')[^1];

    private static void AssertOwnSentence(string line)
    {
        Assert.StartsWith("noiselab: The store '", line, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"SQLite Error \d+", line);
        Assert.DoesNotContain("failed:", line, StringComparison.Ordinal);
        Assert.DoesNotContain("NOISELAB_TRACE", line, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_store_whose_disk_fills_mid_sweep_ends_in_one_sentence_leaves_the_run_interrupted_and_it_resumes_to_the_uninterrupted_result()
    {
        string text = Spec("full", epochs: 6, seeds: "0");
        SweepSpec spec = SweepSpec.Parse(text, "full.yaml");
        string id = spec.Runs[0].Id;
        File.WriteAllText(_folder.File("full.yaml"), text);
        string disk = _folder.File("disk"), copy = _folder.File("copy"), checkpoints = _folder.File("checkpoints");
        string store = Path.Combine(disk, "full.db");

        // 128 KiB hold the new store and a few epochs' commits (each a few 4 KiB pages of WAL), not six.
        var outcome = PrivateMount.OnSmallDisk(disk, 128, copy, "sweep", _folder.File("full.yaml"), "--store", store, "--checkpoints", checkpoints, "--threads", "1");

        Assert.Equal(1, outcome.ExitCode);
        string last = LastLine(outcome.StandardError);
        Assert.Equal($"noiselab: The store '{store}' stopped accepting writes while run '{id}' trained: the disk holding it is full (free some space); fix that and run the sweep again, and the run resumes from its last checkpoint.", last);
        AssertOwnSentence(last);
        using RunStore copied = RunStore.Open(Path.Combine(copy, "full.db"));
        StoredRun stopped = copied.Runs("full").Single();
        Assert.Equal(RunStatus.Interrupted, stopped.Status);
        Assert.Equal("the store could not be written: the disk holding it is full (free some space); the run resumes from its last checkpoint", stopped.Error);
        Assert.InRange(copied.EpochCount("full", id), 1, 5);

        // Where there is room again, the sweep resumes the run from its checkpoint to the uninterrupted result.
        SweepOutcome resumed = SweepRunner.Run(spec, text, copied, OneThread(checkpoints));
        using RunStore reference = RunStore.Open(_folder.File("reference.db"));
        SweepRunner.Run(spec, text, reference, OneThread(_folder.File("reference-checkpoints")));

        Assert.Equal(new SweepOutcome(1, 0, 0, 0, 0), resumed);
        Assert.Equal(reference.Epochs("full", id), copied.Epochs("full", id));
        Assert.Equal(reference.Runs("full").Single().Result, copied.Runs("full").Single().Result);
    }

    [SkippableFact]
    public async Task A_postgres_store_that_drops_the_sweep_s_connections_mid_run_ends_in_one_sentence_and_its_runs_are_stored_interrupted()
    {
        using var where = new TestStore(TestStore.Postgres);
        string text = Spec("gone", epochs: 400, seeds: "0, 1");
        File.WriteAllText(Path.Combine(where.Folder, "gone.yaml"), text);
        SweepSpec spec = SweepSpec.Parse(text, "gone.yaml");
        using var launched = CliProcess.Launch(["sweep", Path.Combine(where.Folder, "gone.yaml"), "--store", where.Location,
            "--checkpoints", Path.Combine(where.Folder, "checkpoints"), "--threads", "1"]);
        using (RunStore watcher = RunStore.Open(where.Location))
        {
            var clock = Stopwatch.StartNew();
            while (watcher.Sweeps().Count == 0 || watcher.EpochCount("gone", spec.Runs[0].Id) < 2)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2) && !launched.Process.HasExited, "the sweep stored no epoch in 2 minutes");
                Thread.Sleep(50);
            }
        }

        Assert.True(where.DropConnections() >= 1);
        Assert.True(launched.Process.WaitForExit(TimeSpan.FromMinutes(1)), "the sweep did not end after its store's connections were dropped");

        string error = await launched.Error, output = await launched.Output;
        Assert.Equal(1, launched.Process.ExitCode);
        string last = LastLine(error);
        string shown = StoreLocation.Redact(where.Location);
        // The two seeds of mlp:8 train stacked, as one pack: both are stopped, and both resume.
        Assert.True(last.StartsWith($"noiselab: The store '{shown}' stopped accepting writes while 2 stacked runs trained: the PostgreSQL server could not be reached or closed the connection (", StringComparison.Ordinal), last);
        Assert.EndsWith("); fix that and run the sweep again, and the runs resume from their last checkpoints.", last, StringComparison.Ordinal);
        AssertOwnSentence(last);
        Assert.DoesNotContain(new Uri(where.Location).UserInfo, error + output, StringComparison.Ordinal);
        using RunStore after = RunStore.Open(where.Location);
        var runs = after.Runs("gone");
        Assert.DoesNotContain(runs, r => r.Status == RunStatus.Running);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, stopped =>
        {
            Assert.Equal(RunStatus.Interrupted, stopped.Status);
            Assert.StartsWith("the store could not be written: the PostgreSQL server could not be reached or closed the connection (", stopped.Error, StringComparison.Ordinal);
        });
    }
}
