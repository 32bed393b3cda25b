using Microsoft.Data.Sqlite;
using NoiseLab.Experiments;
using NoiseLab.Tests.Support;

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

    [Fact]
    public void A_sweep_stores_every_epoch_and_a_second_run_trains_nothing()
    {
        SweepSpec spec = SweepSpec.Parse(Spec, "tiny.yaml");
        using RunStore store = RunStore.Open(_folder.File("store.db"));

        var first = SweepRunner.Run(spec, Spec, store, threads: 2);
        var second = SweepRunner.Run(spec, Spec, store, threads: 2);

        Assert.Equal((4, 0, 0), first);
        Assert.Equal((0, 4, 0), second);
        Assert.All(store.Runs("tiny"), run =>
        {
            Assert.Equal("finished", run.Status);
            Assert.Contains("\"test_accuracy\":", run.Result, StringComparison.Ordinal);
            Assert.Equal(2, store.EpochCount("tiny", run.Id));
        });
    }

    [Fact]
    public void A_stored_epoch_reads_back_equal_to_the_record_written()
    {
        var record = new NoiseLab.Training.EpochRecord
        {
            Epoch = 1, TrainLoss = 0.5, TrainAccuracy = 0.8, ValLoss = 0.6, ValAccuracy = 0.75, GradNorm = 1.25,
            WeightUpdateNorm = 0.125, LearningRate = 0.05, Sigmas = new Dictionary<string, double> { ["input"] = 0.1 },
            Diagnostics = new Dictionary<string, double> { ["adaptive.stuck"] = 1 },
            TrainMetrics = new Dictionary<string, double> { ["accuracy"] = 0.8 },
        };
        using RunStore store = RunStore.Open(_folder.File("store.db"));
        store.Register(SweepSpec.Parse(Spec, "tiny.yaml"), Spec);
        string id = store.Runs("tiny")[0].Id;

        store.RecordEpoch("tiny", id, record);

        Assert.Equal([record], store.Epochs("tiny", id));
    }

    [Fact]
    public void A_changed_spec_under_the_same_name_is_refused_and_nothing_is_overwritten()
    {
        using RunStore store = RunStore.Open(_folder.File("store.db"));
        store.Register(SweepSpec.Parse(Spec, "tiny.yaml"), Spec);
        string changed = Spec.Replace("epochs: 2", "epochs: 3", StringComparison.Ordinal);

        var error = Assert.Throws<RunStoreException>(() => store.Register(SweepSpec.Parse(changed, "tiny.yaml"), changed));

        Assert.Contains("already holds a sweep 'tiny' with a different spec", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, store.Runs("tiny").Count);
    }

    [Fact]
    public void A_database_that_is_not_a_store_is_refused()
    {
        string path = _folder.File("other.db");
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE customers (id INTEGER)";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<RunStoreException>(() => RunStore.Open(path));

        Assert.Equal($"'{path}' is an SQLite database but not a NoiseLab store; pass another --store path.", error.Message);
    }

    [Fact]
    public void A_store_of_a_newer_schema_is_refused()
    {
        string path = _folder.File("newer.db");
        using (RunStore.Open(path)) { }
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE noiselab_meta SET value = '7' WHERE key = 'schema'";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<RunStoreException>(() => RunStore.Open(path));

        Assert.Equal($"'{path}' was written by a newer NoiseLab (store schema 7, this one reads 1); upgrade NoiseLab to use it.", error.Message);
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
        SweepRunner.Run(SweepSpec.Parse(yaml, "tiny.yaml"), yaml, store, threads: 2);

        SweepReport report = SweepReport.Build(store, "tiny", successAt: 0.15);

        double[] Stored(string plan) => [.. store.Runs("tiny").Where(r => r.Plan == plan)
            .Select(r => System.Text.Json.JsonDocument.Parse(r.Result!).RootElement.GetProperty("test_accuracy").GetDouble())];
        PlanSummary none = report.Plans.Single(p => p.Plan == "none");
        Assert.Equal(Stored("none").Average(), none.TestAccuracy.Mean, 12);
        Assert.Equal(Stored("none").Max(), none.TestAccuracy.Best, 12);
        Assert.Equal(Stored("none").Count(s => s >= 0.15) / 3.0, none.TestAccuracy.SuccessRate, 12);
        PlanComparison comparison = Assert.Single(report.Comparisons);
        Assert.Equal(Stored("input").Average() - Stored("none").Average(), comparison.Difference, 12);
        Assert.Equal(NoiseLab.Statistics.WelchTTest.Test(Stored("input"), Stored("none")).P, comparison.P, 12);
        Assert.Equal(comparison.P, comparison.AdjustedP, 12);   // one comparison: Holm changes nothing
        string markdown = report.ToMarkdown();
        Assert.Contains("| fashion-mnist\\|mlp:8\\|momentum:0.05\\|clip=none | none | 3 |", markdown, StringComparison.Ordinal);
        string html = report.ToHtml();
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=", html, StringComparison.Ordinal);
    }
}
