using System.Diagnostics;
using Microsoft.Data.Sqlite;
using NoiseLab.Experiments;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Cli;

/// <summary>The sweep command as users run it: real processes, killed and restarted, side by side.</summary>
public sealed class SweepCommandTests : IDisposable
{
    private const string Spec = """
        name: chaos
        limit_train: 2000
        epochs: 4
        seeds: [0, 1]
        models: ["deepmlp:layers=2,width=32,dropout=0.2"]
        optimizers: [{optimizer: adam, lr: 0.003}]
        noise:
          none: []
          mixed: ["input:gaussian:sigma=0.1", "perturb:anti:sigma=0.01", "gradient:annealed:eta=0.01"]
        """;

    private readonly TemporaryFolder _folder = new();

    public SweepCommandTests() => File.WriteAllText(_folder.File("chaos.yaml"), Spec);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    // The bit-for-bit replays below run at one libtorch thread: under the full suite's load, CI once saw two
    // identical two-thread processes differ by one ulp in a batch's loss, which no resume logic can cause.
    private string SpecPath => _folder.File("chaos.yaml");

    private static Dictionary<string, (IReadOnlyList<NoiseLab.Training.EpochRecord> Epochs, string? Result)> Contents(string store)
    {
        using RunStore opened = RunStore.Open(store);
        return opened.Runs("chaos").ToDictionary(r => r.Id, r => (opened.Epochs("chaos", r.Id), r.Result));
    }

    [Fact]
    public void A_sweep_killed_with_sigkill_mid_run_and_started_again_stores_the_uninterrupted_histories_bit_for_bit()
    {
        string reference = _folder.File("reference.db"), killed = _folder.File("killed.db");
        var uninterrupted = CliProcess.Run("sweep", SpecPath, "--store", reference, "--threads", "1");
        Assert.Equal(0, uninterrupted.ExitCode);

        // Kill as soon as the first run has its epoch-2 checkpoint: mid-run, with epochs 1-2 stored.
        using (var launched = CliProcess.Launch(["sweep", SpecPath, "--store", killed, "--threads", "1"]))
        {
            Process victim = launched.Process;
            var clock = Stopwatch.StartNew();
            while (!Directory.Exists(killed + ".checkpoints")
                || Directory.GetFiles(killed + ".checkpoints", "epoch-000002.ckpt", SearchOption.AllDirectories).Length == 0)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "the sweep wrote no epoch-2 checkpoint in 2 minutes");
                Assert.False(victim.HasExited, "the sweep finished before it could be killed");
                Thread.Sleep(10);
            }
            victim.Kill();
            victim.WaitForExit();
        }
        var resumed = CliProcess.Run("sweep", SpecPath, "--store", killed, "--threads", "1", "--lease", "10");

        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("resuming after epoch", resumed.StandardError, StringComparison.Ordinal);
        var expected = Contents(reference);
        var actual = Contents(killed);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (id, run) in expected)
        {
            Assert.Equal(run.Epochs, actual[id].Epochs);
            Assert.Equal(run.Result, actual[id].Result);
        }
        using RunStore store = RunStore.Open(killed);
        Assert.Equal("ok", store.IntegrityCheck());
    }

    [Fact]
    public async Task Sigterm_finishes_the_step_marks_the_run_interrupted_exits_130_and_the_next_sweep_resumes_it_exactly()
    {
        string reference = _folder.File("reference.db"), stopped = _folder.File("stopped.db");
        Assert.Equal(0, CliProcess.Run("sweep", SpecPath, "--store", reference, "--threads", "1").ExitCode);
        using var launched = CliProcess.Launch(["sweep", SpecPath, "--store", stopped, "--threads", "1"]);
        Process sweep = launched.Process;
        Task<string> error = launched.Error, output = launched.Output;
        var clock = Stopwatch.StartNew();
        while (!Directory.Exists(stopped + ".checkpoints")
            || Directory.GetFiles(stopped + ".checkpoints", "epoch-000001.ckpt", SearchOption.AllDirectories).Length == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2) && !sweep.HasExited, "the sweep wrote no checkpoint");
            Thread.Sleep(10);
        }

        using (Process term = Process.Start("kill", ["-TERM", sweep.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            term.WaitForExit();
        Assert.True(sweep.WaitForExit(TimeSpan.FromMinutes(1)));

        Assert.Equal(130, sweep.ExitCode);
        Assert.Contains("noiselab: SIGTERM received; stopping after the current step", await error, StringComparison.Ordinal);
        // The two seeds of a plan train as one stacked run, so the stop interrupts both.
        Assert.Contains(", 2 interrupted; store", await output, StringComparison.Ordinal);
        using (RunStore store = RunStore.Open(stopped))
        {
            var counts = store.Counts("chaos");
            Assert.Equal(2, counts[RunStatus.Interrupted]);
            Assert.False(counts.ContainsKey(RunStatus.Running));
        }
        Assert.Equal(0, CliProcess.Run("sweep", SpecPath, "--store", stopped, "--threads", "1").ExitCode);
        var expected = Contents(reference);
        var actual = Contents(stopped);
        foreach (var (id, run) in expected)
        {
            Assert.Equal(run.Epochs, actual[id].Epochs);
            Assert.Equal(run.Result, actual[id].Result);
        }
    }

    [Fact]
    public void Train_killed_before_a_checkpoint_and_run_again_with_the_same_checkpoint_folder_prints_the_uninterrupted_result()
    {
        string[] arguments = ["train", "--model", "deepmlp:layers=2,width=16,dropout=0.2", "--optimizer", "adam", "--lr", "0.003", "--limit-train", "600",
            "--epochs", "3", "--noise", "input:gaussian:sigma=0.1", "--threads", "1", "--json"];
        string folder = _folder.File("train-checkpoints");
        var uninterrupted = CliProcess.Run(arguments);

        var killed = CliProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "NoiseLab.Cli.dll"), .. arguments, "--checkpoints", folder], null,
            TimeSpan.FromMinutes(3), start => start.Environment["NOISELAB_FAULT"] = "before-checkpoint@2");
        var resumed = CliProcess.Run([.. arguments, "--checkpoints", folder]);

        Assert.Equal(137, killed.ExitCode);
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains($"resuming after epoch 1 from '{folder}'", resumed.StandardError, StringComparison.Ordinal);
        Assert.Equal(uninterrupted.StandardOutput, resumed.StandardOutput);
    }

    [Fact]
    public void Two_jobs_share_the_grid_and_train_every_run_exactly_once()
    {
        string store = _folder.File("jobs.db");

        var outcome = CliProcess.Run("sweep", SpecPath, "--store", store, "--jobs", "2");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal($"sweep chaos: 4 runs, 4 trained now, 0 already done, 0 diverged, 0 failed; store {store}", outcome.StandardOutput.Trim());
        using RunStore opened = RunStore.Open(store);
        Assert.All(opened.Runs("chaos"), run =>
        {
            Assert.Equal((RunStatus.Finished, 1), (run.Status, run.Attempts));
            Assert.Equal(4, opened.EpochCount("chaos", run.Id));
        });
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void Shards_1_of_2_and_2_of_2_run_side_by_side_and_together_train_every_run_exactly_once(string kind)
    {
        using var where = new TestStore(kind);
        string spec = Path.Combine(where.Folder, "small.yaml");
        File.WriteAllText(spec, "name: small\nlimit_train: 300\nepochs: 1\nseeds: [0, 1, 2]\nmodels: [\"mlp:8\"]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: [], input: [\"input:gaussian:sigma=0.1\"]}\n");
        string checkpoints = Path.Combine(where.Folder, "checkpoints");

        using var first = CliProcess.Launch(["sweep", spec, "--store", where.Location, "--shard", "1/2", "--threads", "1", "--checkpoints", checkpoints]);
        using var second = CliProcess.Launch(["sweep", spec, "--store", where.Location, "--shard", "2/2", "--threads", "1", "--checkpoints", checkpoints]);
        Assert.True(first.Process.WaitForExit(TimeSpan.FromMinutes(3)) && second.Process.WaitForExit(TimeSpan.FromMinutes(3)));

        Assert.Equal((0, 0), (first.Process.ExitCode, second.Process.ExitCode));
        using RunStore store = RunStore.Open(where.Location);
        var runs = store.Runs("small");
        Assert.Equal(6, runs.Count);
        Assert.All(runs, run => Assert.Equal((RunStatus.Finished, 1, 1L), (run.Status, run.Attempts, store.EpochCount("small", run.Id))));
    }

    [Theory]
    [InlineData("0/2")]
    [InlineData("3/2")]
    [InlineData("1-2")]
    [InlineData("a/b")]
    public void A_bad_shard_exits_2_naming_the_form(string shard)
    {
        var outcome = CliProcess.Run("sweep", SpecPath, "--store", _folder.File("s.db"), "--shard", shard);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal($"noiselab: --shard must be I/N with 1 <= I <= N (e.g. 2/8); got '{shard}'.", outcome.StandardError.Trim());
        Assert.False(File.Exists(_folder.File("s.db")));
    }
}
