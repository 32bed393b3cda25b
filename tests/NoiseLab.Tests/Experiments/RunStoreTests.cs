using Microsoft.Data.Sqlite;
using NoiseLab.Experiments;
using NoiseLab.Randomness;
using NoiseLab.Tests.Support;
using NoiseLab.Training;

namespace NoiseLab.Tests.Experiments;

public sealed class RunStoreTests : IDisposable
{
    private const string Spec = """
        name: tiny
        data: fashion-mnist
        limit_train: 300
        epochs: 2
        seeds: [0, 1]
        models: ["mlp:8"]
        optimizers:
          - {optimizer: momentum, lr: 0.05}
        noise:
          none: []
          input: ["input:gaussian:sigma=0.1"]
        """;

    private readonly TemporaryFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    internal static SweepOptions Options(string folder, int shard = 0, int shards = 1) =>
        new() { Threads = 2, CheckpointRoot = Path.Combine(folder, "checkpoints"), Shard = shard, Shards = shards };

    // Writes to the SQLite file behind NoiseLab's back, as another program would.
    private static void ExecuteSql(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static EpochRecord Record(int epoch) => new()
    {
        Epoch = epoch, TrainLoss = 0.5, TrainAccuracy = 0.8, ValLoss = 0.6, ValAccuracy = 0.75, GradNorm = 1.25,
        WeightUpdateNorm = 0.125, LearningRate = 0.05, Sigmas = new Dictionary<string, double> { ["input"] = 0.1 },
        Diagnostics = new Dictionary<string, double> { ["adaptive.stuck"] = 1 },
        TrainMetrics = new Dictionary<string, double> { ["accuracy"] = 0.8 },
    };

    [SkippableTheory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void A_sweep_stores_every_epoch_and_a_second_run_trains_nothing(string kind)
    {
        using var where = new TestStore(kind);
        SweepSpec spec = SweepSpec.Parse(Spec, "tiny.yaml");
        using RunStore store = RunStore.Open(where.Location);

        var first = SweepRunner.Run(spec, Spec, store, Options(where.Folder));
        var second = SweepRunner.Run(spec, Spec, store, Options(where.Folder));

        Assert.Equal(new SweepOutcome(4, 0, 0, 0, 0), first);
        Assert.Equal(new SweepOutcome(0, 4, 0, 0, 0), second);
        Assert.All(store.Runs("tiny"), run =>
        {
            Assert.Equal(RunStatus.Finished, run.Status);
            Assert.Equal(1, run.Attempts);
            Assert.Contains("\"test_accuracy\":", run.Result, StringComparison.Ordinal);
            Assert.Equal(2, store.EpochCount("tiny", run.Id));
        });
        // A stored run's checkpoints are no longer needed.
        Assert.Empty(Directory.GetFiles(Path.Combine(where.Folder, "checkpoints"), "*.ckpt", SearchOption.AllDirectories));
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void A_stored_epoch_reads_back_equal_to_the_record_written(string kind)
    {
        using var where = new TestStore(kind);
        using RunStore store = RunStore.Open(where.Location);
        store.Register(SweepSpec.Parse(Spec, "tiny.yaml"), Spec);
        string id = store.Claim("tiny", "worker-a", TimeSpan.FromMinutes(1))!;
        store.Begin("tiny", id, "worker-a", resumeAfter: 0);

        EpochRecord diverged = Record(2) with { TrainLoss = double.NaN, ValLoss = double.PositiveInfinity, GradNorm = double.NegativeInfinity, ValAccuracy = double.NaN };

        store.RecordEpoch("tiny", id, "worker-a", Record(1));
        store.RecordEpoch("tiny", id, "worker-a", diverged);

        // A record with NaN equals itself and its stored copy (figure by figure, NaN as NaN), and no record without it.
        Assert.Equal([Record(1), diverged], store.Epochs("tiny", id));
        Assert.True(diverged.Equals(diverged with { }));
        Assert.Equal(diverged.GetHashCode(), (diverged with { }).GetHashCode());
        Assert.False(diverged.Equals(diverged with { TrainLoss = 0.5 }));
        Assert.False(Record(2).Equals(Record(2) with { ValAccuracy = double.NaN }));
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void Retry_failed_requeues_only_the_failed_runs_of_its_shard_and_drops_their_epochs(string kind)
    {
        using var where = new TestStore(kind);
        using RunStore store = RunStore.Open(where.Location);
        store.Register(SweepSpec.Parse(Spec, "tiny.yaml"), Spec);
        var claimed = new List<string>();
        while (store.Claim("tiny", "worker-a", TimeSpan.FromMinutes(1)) is string id)
        {
            store.Begin("tiny", id, "worker-a", 0);
            store.RecordEpoch("tiny", id, "worker-a", Record(1));
            claimed.Add(id);
        }
        var positions = store.Runs("tiny").ToDictionary(r => r.Id, r => r.Position);
        // Three fail (two in shard 0 of 2, one in shard 1), one diverges: a divergence is a result, never retried.
        string[] failed = [.. claimed.Take(3)];
        foreach (string id in failed)
            store.Stop("tiny", id, "worker-a", RunStatus.Failed, "it failed");
        store.Stop("tiny", claimed[3], "worker-a", RunStatus.Diverged, "loss is NaN");

        var shard0 = store.RetryFailed("tiny", shard: 0, shards: 2);
        var again = store.RetryFailed("tiny", shard: 0, shards: 2);

        Assert.Equal(failed.Where(id => positions[id] % 2 == 0).Order(StringComparer.Ordinal), shard0);
        Assert.Empty(again);
        var runs = store.Runs("tiny").ToDictionary(r => r.Id);
        foreach (string id in failed)
        {
            bool retried = shard0.Contains(id);
            Assert.Equal(retried ? RunStatus.Pending : RunStatus.Failed, runs[id].Status);
            Assert.Equal(retried ? null : "it failed", runs[id].Error);
            Assert.Equal(1, runs[id].Attempts);
            Assert.Equal(retried ? 0 : 1, store.EpochCount("tiny", id));
        }
        Assert.Equal(RunStatus.Diverged, runs[claimed[3]].Status);
        Assert.Equal(1, store.EpochCount("tiny", claimed[3]));
        // A retried run is claimed again like any pending one, and counts its second attempt.
        Assert.Contains(store.Claim("tiny", "worker-b", TimeSpan.FromMinutes(1), shard: 0, shards: 2), shard0);
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void Shards_1_of_2_and_2_of_2_together_take_every_run_exactly_once(string kind)
    {
        using var where = new TestStore(kind);
        using RunStore store = RunStore.Open(where.Location);
        store.Register(SweepSpec.Parse(Spec, "tiny.yaml"), Spec);
        var taken = new List<(int Shard, string Id)>();

        foreach (int shard in new[] { 0, 1 })
            while (store.Claim("tiny", $"worker-{shard}", TimeSpan.FromMinutes(1), shard, shards: 2) is string id)
                taken.Add((shard, id));

        var positions = store.Runs("tiny").ToDictionary(r => r.Id, r => r.Position);
        Assert.Equal(4, taken.Count);
        Assert.Equal(4, taken.Select(t => t.Id).Distinct().Count());
        Assert.All(taken, t => Assert.Equal(t.Shard, positions[t.Id] % 2));
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void A_run_whose_heartbeat_went_stale_is_reclaimed_and_its_old_worker_can_write_nothing(string kind)
    {
        using var where = new TestStore(kind);
        using RunStore store = RunStore.Open(where.Location);
        store.Register(SweepSpec.Parse(Spec, "tiny.yaml"), Spec);
        string id = store.Claim("tiny", "worker-a", TimeSpan.FromMinutes(1), shard: 0, shards: 4)!;
        store.Begin("tiny", id, "worker-a", 0);
        store.RecordEpoch("tiny", id, "worker-a", Record(1));

        Assert.Null(store.Claim("tiny", "worker-b", TimeSpan.FromMinutes(1), shard: 0, shards: 4));
        Thread.Sleep(50);
        Assert.Equal(id, store.Claim("tiny", "worker-b", TimeSpan.FromMilliseconds(10), shard: 0, shards: 4));

        Assert.False(store.Heartbeat("tiny", id, "worker-a"));
        Assert.Throws<LeaseLostException>(() => store.RecordEpoch("tiny", id, "worker-a", Record(2)));
        Assert.Throws<LeaseLostException>(() => store.Stop("tiny", id, "worker-a", RunStatus.Failed, "late"));
        Assert.True(store.Heartbeat("tiny", id, "worker-b"));
        StoredRun run = store.Runs("tiny").Single(r => r.Id == id);
        Assert.Equal((RunStatus.Running, 2), (run.Status, run.Attempts));
        Assert.Equal([Record(1)], store.Epochs("tiny", id));
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void Resuming_after_a_checkpoint_drops_the_epochs_stored_beyond_it(string kind)
    {
        using var where = new TestStore(kind);
        using RunStore store = RunStore.Open(where.Location);
        store.Register(SweepSpec.Parse(Spec, "tiny.yaml"), Spec);
        string id = store.Claim("tiny", "worker-a", TimeSpan.FromMinutes(1))!;
        store.RecordEpoch("tiny", id, "worker-a", Record(1));
        store.RecordEpoch("tiny", id, "worker-a", Record(2));

        store.Begin("tiny", id, "worker-a", resumeAfter: 1);

        Assert.Equal([Record(1)], store.Epochs("tiny", id));
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void A_changed_spec_under_the_same_name_is_refused_with_what_changed_and_nothing_is_overwritten(string kind)
    {
        using var where = new TestStore(kind);
        using RunStore store = RunStore.Open(where.Location);
        store.Register(SweepSpec.Parse(Spec, "tiny.yaml"), Spec);
        string changed = Spec.Replace("epochs: 2", "epochs: 3", StringComparison.Ordinal);
        string dropped = Spec.Replace("seeds: [0, 1]", "seeds: [0]", StringComparison.Ordinal);
        string shown = where.Location.Replace("noiselab:noiselab@", "noiselab:***@", StringComparison.Ordinal);

        var error = Assert.Throws<RunStoreException>(() => store.Register(SweepSpec.Parse(changed, "tiny.yaml"), changed));
        var dropping = Assert.Throws<RunStoreException>(() => store.Register(SweepSpec.Parse(dropped, "tiny.yaml"), dropped));

        Assert.Equal($"The store '{shown}' already holds a sweep 'tiny', and this spec would change its run 'fashion-mnist|mlp:8|momentum:0.05|clip=none|none|seed=0': "
            + "trainer.epochs was 2 and is now 3 (line 4 was 'epochs: 2' and is now 'epochs: 3'); a sweep may only grow by new runs, so rename the sweep (name:) or use another --store to keep its results.", error.Message);
        Assert.Equal($"The store '{shown}' already holds a sweep 'tiny', and this spec drops its run 'fashion-mnist|mlp:8|momentum:0.05|clip=none|none|seed=1' "
            + "(line 5 was 'seeds: [0, 1]' and is now 'seeds: [0]'); a sweep may only grow by new runs, so rename the sweep (name:) or use another --store to keep its results.", dropping.Message);
        Assert.Equal(RunStore.SpecHash(Spec), store.StoredSpecHash("tiny"));
        Assert.Equal(4, store.Runs("tiny").Count);
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void A_sweep_grows_by_more_seeds_or_an_edited_comment_and_keeps_what_it_stored(string kind)
    {
        using var where = new TestStore(kind);
        using RunStore store = RunStore.Open(where.Location);
        store.Register(SweepSpec.Parse(Spec, "tiny.yaml"), Spec);
        string id = store.Claim("tiny", "worker-a", TimeSpan.FromMinutes(1))!;
        store.RecordEpoch("tiny", id, "worker-a", Record(1));
        string grown = "# two more seeds\n" + Spec.Replace("seeds: [0, 1]", "seeds: [0, 1, 2, 3]", StringComparison.Ordinal);

        store.Register(SweepSpec.Parse(grown, "tiny.yaml"), grown);

        Assert.Equal(RunStore.SpecHash(Spec), store.StoredSpecHash("tiny"));
        Assert.Equal(grown, store.Sweeps().Single(s => s.Name == "tiny").Spec);
        Assert.Equal(8, store.Runs("tiny").Count);
        Assert.Equal(RunStatus.Running, store.Runs("tiny").Single(r => r.Id == id).Status);
        Assert.Equal([Record(1)], store.Epochs("tiny", id));
        Assert.Equal(7, store.Runs("tiny").Count(r => r.Status == RunStatus.Pending));
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void A_sweep_stored_with_one_generator_is_refused_to_another_naming_both_and_its_own_continues_it(string kind)
    {
        using var where = new TestStore(kind);
        using RunStore store = RunStore.Open(where.Location);
        SweepSpec spec = SweepSpec.Parse(Spec, "tiny.yaml");
        store.Register(spec.WithNoiseGenerator(NoiseGenerator.Ars7BoxMullerV2), Spec);

        var error = Assert.Throws<RunStoreException>(() => store.Register(spec.WithNoiseGenerator(NoiseGenerator.Aes128BoxMullerV1), Spec));
        store.Register(spec.WithNoiseGenerator(NoiseGenerator.Ars7BoxMullerV2), Spec);

        Assert.Equal($"The store '{where.Location.Replace("noiselab:noiselab@", "noiselab:***@", StringComparison.Ordinal)}' holds sweep 'tiny' drawn with noise generator ars7-boxmuller-v2, and this sweep would draw with aes128-boxmuller-v1; run it with --generator ars7-boxmuller-v2 to continue it, or use another --store to start it afresh.", error.Message);
        Assert.Equal("ars7-boxmuller-v2", store.NoiseGeneratorOf("tiny"));
        Assert.Equal(4, store.Runs("tiny").Count);
    }

    [Fact]
    public void A_sweep_with_a_tensorboard_root_writes_each_runs_epochs_into_its_own_folder()
    {
        SweepSpec spec = SweepSpec.Parse(Spec, "tiny.yaml");
        using RunStore store = RunStore.Open(_folder.File("store.db"));
        string root = _folder.File("tensorboard");

        SweepRunner.Run(spec, Spec, store, Options(_folder.Path) with { TensorBoardRoot = root });

        foreach (SweepRun run in spec.Runs)
        {
            string file = Assert.Single(NoiseLab.TensorBoard.EventFileReader.FindFiles(Path.Combine(root, "tiny", NoiseLab.TensorBoard.TensorBoardLogger.FolderName(run.Id))));
            var valLoss = NoiseLab.TensorBoard.EventFileReader.ReadScalars(file).Where(e => e.Tag == "loss/val").ToList();
            Assert.Equal([1L, 2L], valLoss.Select(e => e.Step));
            Assert.Equal(store.Epochs("tiny", run.Id).Select(r => (float)r.ValLoss), valLoss.Select(e => e.Value));
        }
    }

    [Fact]
    public void A_database_that_is_not_a_store_is_refused()
    {
        string path = _folder.File("other.db");
        ExecuteSql(path, "CREATE TABLE customers (id INTEGER)");

        var error = Assert.Throws<RunStoreException>(() => RunStore.Open(path));

        Assert.Equal($"'{path}' is an SQLite database of another application (tables 'customers'), not a NoiseLab store; it was left unchanged; pass another --store (a new file name creates a store).", error.Message);
    }

    [Fact]
    public void A_store_of_a_newer_schema_is_refused()
    {
        string path = _folder.File("newer.db");
        using (RunStore.Open(path)) { }
        ExecuteSql(path, "UPDATE noiselab_meta SET value = '7' WHERE key = 'schema'");

        var error = Assert.Throws<RunStoreException>(() => RunStore.Open(path));

        Assert.Equal($"'{path}' was written by a newer NoiseLab (store schema 7, this one reads 4); upgrade NoiseLab to use it.", error.Message);
    }

    [Fact]
    public void A_schema_1_store_is_upgraded_and_its_half_finished_sweep_resumed_without_touching_finished_runs()
    {
        string path = _folder.File("schema1.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "store-schema1.db"), path);

        using RunStore store = RunStore.Open(path);
        var (name, text) = Assert.Single(store.Sweeps());
        var before = store.Runs(name).ToDictionary(r => r.Id);
        var finishedEpochs = before.Values.Where(r => r.Status == RunStatus.Finished).ToDictionary(r => r.Id, r => store.Epochs(name, r.Id));
        SweepSpec spec = SweepSpec.Parse(text, "schema1.yaml");

        // Its runs drew their noise with the first generator: another one is refused before anything trains.
        var refused = Assert.Throws<RunStoreException>(() => SweepRunner.Run(spec.WithNoiseGenerator(NoiseGenerator.Ars7BoxMullerV2), text, store, Options(_folder.Path)));
        SweepOutcome outcome = SweepRunner.Run(spec.WithNoiseGenerator(NoiseGenerator.Aes128BoxMullerV1), text, store, Options(_folder.Path));

        Assert.Contains("drawn with noise generator aes128-boxmuller-v1, and this sweep would draw with ars7-boxmuller-v2; run it with --generator aes128-boxmuller-v1 to continue it", refused.Message, StringComparison.Ordinal);

        Assert.Equal([(2, Worker.Current), (3, Worker.Current), (4, Worker.Current)], store.Migrations());
        // Schema 1 knew no generators: its runs drew with the first one, and the sweep continues with it.
        Assert.Equal("aes128-boxmuller-v1", store.NoiseGeneratorOf(name));
        Assert.Equal([RunStatus.Finished, RunStatus.Finished, RunStatus.Interrupted, RunStatus.Pending],
            before.Values.OrderBy(r => r.Status == RunStatus.Finished ? 0 : 1).ThenBy(r => r.Status, StringComparer.Ordinal).Select(r => r.Status));
        Assert.Equal(new SweepOutcome(2, 2, 0, 0, 0), outcome);
        Assert.All(store.Runs(name), run => Assert.Equal(RunStatus.Finished, run.Status));
        foreach (var (id, epochs) in finishedEpochs)
        {
            Assert.Equal(epochs, store.Epochs(name, id));
            Assert.Equal(before[id].Result, store.Runs(name).Single(r => r.Id == id).Result);
        }
        Assert.Equal("ok", store.IntegrityCheck());
    }

    [Fact]
    public void A_worker_of_this_machine_whose_process_has_exited_is_known_dead_and_no_other_is()
    {
        using var exited = System.Diagnostics.Process.Start("true")!;
        exited.WaitForExit();

        Assert.True(Worker.IsDeadHere($"{Environment.MachineName}:{exited.Id}:abcdef"));
        Assert.False(Worker.IsDeadHere(Worker.Current));
        Assert.False(Worker.IsDeadHere($"another-host:{exited.Id}:abcdef"));
        Assert.False(Worker.IsDeadHere("worker-a"));
    }

    [Fact]
    public void A_worker_left_a_zombie_by_a_parent_that_never_reaps_it_is_known_dead()
    {
        // sh starts a child that exits after sh has become sleep, which never reaps it: a zombie for the rest of the 30 s.
        var start = new System.Diagnostics.ProcessStartInfo("sh", ["-c", "sleep 0.3 & echo $!; exec sleep 30"]) { RedirectStandardOutput = true };
        using var parent = System.Diagnostics.Process.Start(start)!;
        try
        {
            int zombie = int.Parse(parent.StandardOutput.ReadLine()!, System.Globalization.CultureInfo.InvariantCulture);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!File.ReadAllText($"/proc/{zombie}/stat").Contains(") Z ", StringComparison.Ordinal) && waited.Elapsed < TimeSpan.FromSeconds(10))
                Thread.Sleep(10);

            Assert.Contains(") Z ", File.ReadAllText($"/proc/{zombie}/stat"), StringComparison.Ordinal);
            Assert.True(Worker.IsDeadHere($"{Environment.MachineName}:{zombie}:abcdef"));
            Assert.False(Worker.IsDeadHere($"{Environment.MachineName}:{parent.Id}:abcdef"));
        }
        finally
        {
            parent.Kill();
        }
    }

    [Fact]
    public void A_store_on_a_network_filesystem_is_recognised_by_its_mount()
    {
        const string mounts = """
            /dev/sda1 / ext4 rw,relatime 0 0
            server:/export /mnt/shared nfs4 rw,relatime 0 0
            tmpfs /mnt/shared/local tmpfs rw 0 0
            """;

        Assert.Equal("nfs4", NetworkFilesystem.Of("/mnt/shared/results/sweep.db", mounts));
        Assert.Null(NetworkFilesystem.Of("/mnt/shared/local/sweep.db", mounts));
        Assert.Null(NetworkFilesystem.Of("/home/me/sweep.db", mounts));
        Assert.Null(NetworkFilesystem.Of("/mnt/sharedother/sweep.db", mounts));
    }
}

public sealed class SweepReportTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public void The_report_tables_hold_the_stored_numbers_and_compare_each_plan_with_no_noise()
    {
        const string yaml = """
            name: tiny
            limit_train: 300
            epochs: 1
            seeds: [0, 1, 2]
            models: ["mlp:8"]
            optimizers: [{optimizer: momentum, lr: 0.05}]
            success_at: 0.15
            noise:
              none: []
              input: ["input:gaussian:sigma=0.1"]
            """;
        using RunStore store = RunStore.Open(_folder.File("store.db"));
        SweepRunner.Run(SweepSpec.Parse(yaml, "tiny.yaml"), yaml, store, RunStoreTests.Options(_folder.Path));

        SweepReport report = SweepReport.Build(store, "tiny", successAt: 0.15);

        double[] Stored(string plan) => [.. store.Runs("tiny").Where(r => r.Plan == plan)
            .Select(r => System.Text.Json.JsonDocument.Parse(r.Result!).RootElement.GetProperty("test_accuracy").GetDouble())];
        PlanSummary none = report.Plans.Single(p => p.Plan == "none");
        Assert.Equal(Stored("none").Average(), none.TestAccuracy.Mean, 12);
        Assert.Equal(Stored("none").Max(), none.TestAccuracy.Best, 12);
        Assert.Equal(Stored("none").Count(s => s >= 0.15) / 3.0, none.TestAccuracy.SuccessRate, 12);
        double[] lastValAccuracy = [.. store.Runs("tiny").Where(r => r.Plan == "none").Select(r => store.Epochs("tiny", r.Id)[^1].ValAccuracy!.Value)];
        Assert.Equal(lastValAccuracy.Average(), none.Figures!["val_accuracy"].Mean, 12);
        Assert.Equal(Spread.Of(lastValAccuracy), none.Figures["val_accuracy"]);
        PlanComparison comparison = Assert.Single(report.Comparisons);
        Assert.Equal(Stored("input").Average() - Stored("none").Average(), comparison.Difference, 12);
        Assert.Equal(NoiseLab.Statistics.WelchTTest.Test(Stored("input"), Stored("none")).P, comparison.P, 12);
        Assert.Equal(comparison.P, comparison.AdjustedP, 12);   // one comparison: Holm changes nothing
        string markdown = report.ToMarkdown();
        Assert.Contains("| fashion-mnist\\|mlp:8\\|momentum:0.05\\|clip=none | none | 3 |", markdown, StringComparison.Ordinal);
    }

    // Issue #15, defect 9: a report never leaves a comparison out without saying why.
    [Theory]
    [InlineData("input: [\"input:gaussian:sigma=0.1\"]\n  weight: [\"weight:gaussian:sigma=0.01\"]", "seeds: [0, 1]",
        "Note: The sweep has no plan named 'none', the no-noise baseline that each plan is compared with, so there is no comparison; add `none: []` to the spec's noise plans to get one.")]
    [InlineData("none: []\n  input: [\"input:gaussian:sigma=0.1\"]", "seeds: [0]",
        "Note: 'input' of fashion-mnist|mlp:8|momentum:0.05|clip=none is not compared with 'none': a comparison needs at least two finished seeds of each, and there are 1 and 1.")]
    public void A_report_says_why_a_plan_is_not_compared(string plans, string seeds, string expected)
    {
        string yaml = $"name: tiny\nlimit_train: 300\nepochs: 1\n{seeds}\nmodels: [\"mlp:8\"]\noptimizers: [{{optimizer: momentum, lr: 0.05}}]\nnoise:\n  {plans}\n";
        using RunStore store = RunStore.Open(_folder.File("store.db"));
        StoredRuns.Fill(store, yaml, (n, id) =>
        {
            StoredRuns.Finish(store, "tiny", id, [new EpochRecord { Epoch = 1, TrainLoss = 1, ValLoss = 1, GradNorm = 1, WeightUpdateNorm = 1, LearningRate = 0.05 }],
                StoredRuns.Result(0.5, 0.7 + n / 100.0));
            return true;
        });

        SweepReport report = SweepReport.Build(store, "tiny", successAt: 0.9);
        string markdown = report.ToMarkdown();

        Assert.Empty(report.Comparisons);
        Assert.Equal([expected["Note: ".Length..]], report.Notes);
        Assert.Contains(expected, markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Δ test accuracy", markdown, StringComparison.Ordinal);
        Assert.Equal(SweepSpec.Parse(yaml, "tiny.yaml").Runs.Count, report.Plans.Sum(p => p.TestAccuracy.Runs));
    }

    [Fact]
    public void A_report_says_that_runs_without_a_test_accuracy_are_not_in_its_tables()
    {
        const string yaml = "name: series\ndata: \"synthetic:adding:length=10,train=100\"\nepochs: 1\nseeds: [0, 1]\nmodels: [\"mlp:8\"]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n";
        using RunStore store = RunStore.Open(_folder.File("store.db"));
        StoredRuns.Fill(store, yaml, (n, id) =>
        {
            StoredRuns.Finish(store, "series", id, [], new TrainingResult([], 0.25, null, new Dictionary<string, double> { ["mse"] = 0.25 }));
            return true;
        });

        SweepReport report = SweepReport.Build(store, "series", successAt: 0.9);

        Assert.Empty(report.Plans);
        Assert.Equal(["2 finished run(s) record no test accuracy (a regression or tagging task), which these tables compare, so they are not listed; 'noiselab export' gives all their figures."], report.Notes);
    }

    [Fact]
    public void A_plan_whose_runs_all_diverged_keeps_its_row_and_counts_them_against_its_success_rate()
    {
        const string yaml = """
            name: explode
            limit_train: 200
            epochs: 2
            seeds: [0, 1]
            models: ["mlp:8"]
            optimizers: [{optimizer: sgd, lr: 0.1}]
            success_at: 0.05
            noise:
              none: []
              explode: ["gradient:gaussian:sigma=1e30"]
            """;
        using RunStore store = RunStore.Open(_folder.File("store.db"));
        SweepOutcome outcome = SweepRunner.Run(SweepSpec.Parse(yaml, "explode.yaml"), yaml, store, RunStoreTests.Options(_folder.Path));

        SweepReport report = SweepReport.Build(store, "explode", successAt: 0.05);

        Assert.Equal(new SweepOutcome(2, 0, 2, 0, 0), outcome);
        Assert.All(store.Runs("explode").Where(r => r.Plan == "explode"), r =>
        {
            Assert.Equal(RunStatus.Diverged, r.Status);
            Assert.StartsWith("Training diverged", r.Error, StringComparison.Ordinal);
        });
        PlanSummary exploded = report.Plans.Single(p => p.Plan == "explode");
        Assert.Equal((0, 2, 0.0), (exploded.TestAccuracy.Runs, exploded.TestAccuracy.Diverged, exploded.TestAccuracy.SuccessRate));
        Assert.Contains("| explode | 0 | 2 | 0 | – | – | – | – | – | – | – | 0 % (≥ 0.05) |", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Empty(report.Comparisons);
    }
}
