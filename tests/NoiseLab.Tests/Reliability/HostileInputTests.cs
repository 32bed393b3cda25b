using System.Diagnostics;
using Microsoft.Data.Sqlite;
using NoiseLab.Experiments;
using NoiseLab.Models;
using NoiseLab.Tests.Experiments;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Reliability;

/// <summary>
/// Issue #15's hostile inputs, one or more per defect: each asserts the exit code, NoiseLab's own sentence
/// (the value and the fix, no .NET type name, no bare SQLite error number) and what the store holds afterwards.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private string Write(string name, string text)
    {
        string path = _folder.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    private static void AssertOwnSentence(string message)
    {
        Assert.StartsWith("noiselab: ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", message, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"SQLite Error \d+", message);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
    }

    private const string Tail = """
        epochs: 1
        seeds: [0]
        models: ["mlp:8"]
        optimizers: [{optimizer: sgd, lr: 0.1}]
        """;

    // Defect 1 (and 10): what a run needs is checked when the spec is read, with file, line and key.
    [Theory]
    [InlineData("data: nosuch\n" + Tail + "\nnoise: {none: []}\n", ":1: 'data' is invalid: Unknown data set 'nosuch'")]
    [InlineData("data: \"synthetic:adding:length=1000000000\"\n" + Tail + "\nnoise: {none: []}\n", ":1: 'data' is invalid: --data synthetic:adding:length=1000000000: length must be from 2 to 100,000")]
    [InlineData(Tail + "\nnoise:\n  none: []\n  act: [\"activation:gaussian:sigma=0.1,after=nosuchlayer\"]\n", ":7: 'noise.act' is invalid: The model has no module 'nosuchlayer' with a tensor output; its modules are: fc1, out")]
    [InlineData("lr_schedule: \"step:every=0\"\n" + Tail + "\nnoise: {none: []}\n", ":1: 'lr_schedule' is invalid: --lr-schedule 'step:every=0': every must be greater than 0; got 0")]
    [InlineData("early_stopping: {monitor: val_los, patience: 1}\n" + Tail + "\nnoise: {none: []}\n", ":1: 'early_stopping.monitor' is invalid: The monitor 'val_los' is not a figure that a run on fashion-mnist records; choose one of val_loss, train_loss, val_accuracy, train_accuracy, or a diagnostic's key (it has a dot, e.g. sharpness.trace).")]
    [InlineData("pruning: {monitor: val_accuracy}\ndata: \"synthetic:adding:length=10,train=100\"\n" + Tail + "\nnoise: {none: []}\n", ":1: 'pruning.monitor' is invalid: The monitor 'val_accuracy' is not a figure that a run on synthetic:adding:length=10,train=100 records; choose one of val_loss, train_loss, val_mse, train_mse, val_mae, train_mae, or a diagnostic's key")]
    public void A_spec_whose_runs_could_not_start_is_refused_with_file_line_and_key_before_anything_trains(string body, string expected)
    {
        string spec = Write("bad.yaml", "name: bad\n" + body);
        string store = _folder.File("bad.db");

        var outcome = CliProcess.Run("sweep", spec, "--store", store, "--threads", "1");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(spec + expected.Replace(":1:", ":2:", StringComparison.Ordinal).Replace(":7:", ":8:", StringComparison.Ordinal), outcome.StandardError, StringComparison.Ordinal);
        AssertOwnSentence(outcome.StandardError.Trim());
        Assert.False(File.Exists(store), "nothing may be stored for a spec that is refused");
    }

    // Defect 1: a run that fails once it has started is stored failed with its reason; the other runs train; exit 1.
    [Fact]
    public void A_run_that_fails_when_its_data_is_read_is_stored_failed_with_the_reason_and_the_sweep_trains_the_others()
    {
        string csv = Write("series.csv", "day,temp\n" + string.Join("\n", Enumerable.Range(0, 200).Select(i => $"{i},{Math.Sin(i / 5.0):F3}")) + "\n");
        string spec = Write("mixed.yaml", $"""
            name: mixed
            seeds: [0]
            groups:
              - data: "synthetic:adding:length=10,train=200"
                epochs: 1
                models: ["mlp:8"]
                optimizers: [{"{"}optimizer: sgd, lr: 0.01{"}"}]
              - data: "csv:{csv}:column=nosuch"
                epochs: 1
                models: ["mlp:8"]
                optimizers: [{"{"}optimizer: sgd, lr: 0.01{"}"}]
            noise: {"{"}none: []{"}"}
            """);
        string store = _folder.File("mixed.db");

        var outcome = CliProcess.Run("sweep", spec, "--store", store, "--threads", "1");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal($"sweep mixed: 2 runs, 1 trained now, 0 already done, 0 diverged, 1 failed; store {store}", outcome.StandardOutput.Trim());
        Assert.Contains($"noiselab: 1 run(s) failed; 'noiselab status --store {store}' shows why, and once that is fixed, this command with --retry-failed trains them again.", outcome.StandardError, StringComparison.Ordinal);
        using RunStore opened = RunStore.Open(store);
        var runs = opened.Runs("mixed");
        Assert.DoesNotContain(runs, r => r.Status == RunStatus.Running);
        StoredRun failed = Assert.Single(runs, r => r.Status == RunStatus.Failed);
        Assert.Contains("nosuch", failed.Error, StringComparison.Ordinal);
        Assert.Single(runs, r => r.Status == RunStatus.Finished);

        var status = CliProcess.Run("status", "--store", store);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("mixed: 0 pending, 0 running, 0 interrupted, 1 finished, 0 diverged, 0 pruned, 1 failed", status.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"  failed {failed.Id}: {failed.Error}", status.StandardOutput, StringComparison.Ordinal);
    }

    // Defect 1: a run left "running" by a process of this machine that is gone is shown, and settled, as interrupted.
    [Fact]
    public void A_run_whose_worker_process_is_gone_is_not_shown_running_and_is_settled_interrupted()
    {
        string text = "name: orphan\ndata: \"synthetic:adding:length=10,train=100\"\n" + Tail + "\nnoise: {none: []}\n";
        SweepSpec spec = SweepSpec.Parse(text, "orphan.yaml");
        string store = _folder.File("orphan.db");
        // A process id beyond the kernel's pid_max can belong to no process.
        string dead = $"{Environment.MachineName}:{int.MaxValue}:dead00";
        using (RunStore opened = RunStore.Open(store))
        {
            opened.Register(spec, text);
            Assert.NotNull(opened.Claim("orphan", dead, TimeSpan.FromMinutes(5)));
        }

        var status = CliProcess.Run("status", "--store", store);

        Assert.Equal(0, status.ExitCode);
        Assert.Contains("orphan: 0 pending, 0 running, 1 interrupted, 0 finished, 0 diverged, 0 pruned, 0 failed", status.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"its worker {dead} has exited without settling it", status.StandardOutput, StringComparison.Ordinal);
        using RunStore reopened = RunStore.Open(store);
        Assert.Equal([spec.Runs[0].Id], reopened.InterruptDeadWorkersHere("orphan"));
        StoredRun run = reopened.Runs("orphan").Single();
        Assert.Equal(RunStatus.Interrupted, run.Status);
        Assert.Contains("ended without settling it", run.Error, StringComparison.Ordinal);
    }

    // Defect 1: a store that fails mid-sweep is named in plain words, not by SQLite's error number.
    [Theory]
    [InlineData(13, "the disk holding it is full (free some space)")]
    [InlineData(14, "the file cannot be opened: it is a folder, its folder cannot be created, or it may not be read")]
    [InlineData(8, "it is read-only (a read-only file or mount)")]
    public void A_store_error_is_described_in_words_without_its_number(int code, string expected)
    {
        Assert.Equal(expected, StoreErrors.Describe(new SqliteException($"SQLite Error {code}: 'whatever'.", code)));
    }

    // Defect 4: a password never appears.
    [Theory]
    [InlineData("postgres://nl:secret@db.example:5432/runs", "postgres://nl:***@db.example:5432/runs")]
    [InlineData("postgresql://nl:se@cr:et@db/runs", "postgresql://nl:***@db/runs")]
    [InlineData("postgres://nl:secret@db/runs?sslmode=require&password=secret", "postgres://nl:***@db/runs?sslmode=require&password=***")]
    [InlineData("postgres://nl@db/runs", "postgres://nl@db/runs")]
    [InlineData("results/quick.db", "results/quick.db")]
    public void A_store_location_is_shown_with_its_password_masked(string location, string shown)
    {
        Assert.Equal(shown, StoreLocation.Redact(location));
    }

    [Fact]
    public void A_sweep_on_an_unreachable_postgres_store_never_prints_its_password()
    {
        string spec = Write("pg.yaml", "name: pg\ndata: \"synthetic:adding:length=10,train=100\"\n" + Tail + "\nnoise: {none: []}\n");

        var outcome = CliProcess.Run("sweep", spec, "--store", "postgres://nl:hunter2secret@127.0.0.1:1/runs", "--threads", "1");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("'postgres://nl:***@127.0.0.1:1/runs'", outcome.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret", outcome.StandardOutput + outcome.StandardError, StringComparison.Ordinal);
        AssertOwnSentence(outcome.StandardError.Trim());
    }

    // Defect 5: a name is one path segment of safe characters; derived paths stay under their folders.
    [Theory]
    [InlineData("../../evil")]
    [InlineData("/tmp/evil")]
    [InlineData("..")]
    [InlineData("a b")]
    public void A_sweep_name_that_is_not_one_safe_path_segment_is_refused_with_file_and_line(string name)
    {
        string text = $"name: \"{name}\"\n" + Tail + "\nnoise: {none: []}\n";

        var error = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(text, "evil.yaml"));

        Assert.StartsWith($"evil.yaml:1: 'name' must be one path segment of at most 100 letters, digits, '.', '_' or '-'", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"not '{name}'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_five_megabyte_name_is_refused_in_one_short_sentence_and_checkpoint_folders_never_leave_their_root()
    {
        string huge = new('a', 5_000_000);
        var error = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse($"name: {huge}\n" + Tail + "\nnoise: {none: []}\n", "huge.yaml"));

        Assert.True(error.Message.Length < 400, $"the message is {error.Message.Length} characters long");
        Assert.Contains("(5,000,000 characters)", error.Message, StringComparison.Ordinal);
        string root = _folder.File("checkpoints");
        foreach (string sweep in new[] { "..", ".", "../x" })
            Assert.StartsWith(root + Path.DirectorySeparatorChar, Path.GetFullPath(SweepRunner.CheckpointFolderOf(root, sweep, "run")), StringComparison.Ordinal);
    }

    // Defect 6: train on SIGTERM says so and exits 130; a sweep whose worker is killed exits 1 and leaves nothing running.
    [Fact]
    public async Task Train_on_sigterm_finishes_the_step_says_how_to_continue_and_exits_130()
    {
        string checkpoints = _folder.File("train-checkpoints");
        using var launched = CliProcess.Launch(["train", "--data", "synthetic:adding:length=50,train=20000", "--model", "lstm", "--lr", "0.01",
            "--epochs", "50", "--threads", "1", "--checkpoints", checkpoints, "--json"]);
        WaitFor(() => Directory.Exists(checkpoints) && Directory.GetFiles(checkpoints, "epoch-000001.ckpt", SearchOption.AllDirectories).Length > 0, launched.Process);

        Signal("TERM", launched.Process.Id);
        Assert.True(launched.Process.WaitForExit(TimeSpan.FromMinutes(1)));

        string error = await launched.Error;
        Assert.True(launched.Process.ExitCode == 130, $"exit {launched.Process.ExitCode}: {error}");
        Assert.Contains("noiselab: SIGTERM received; stopping after the current step", error, StringComparison.Ordinal);
        Assert.Contains($"noiselab: training stopped on request; run the same command again to continue from the last checkpoint in '{checkpoints}'.", error, StringComparison.Ordinal);
        Assert.Equal("", (await launched.Output).Trim());
    }

    [Fact]
    public async Task A_sweep_whose_worker_is_killed_says_so_and_leaves_no_run_running()
    {
        string spec = Write("jobs.yaml", "name: jobs\ndata: \"synthetic:adding:length=50,train=20000\"\nepochs: 30\nseeds: [0, 1]\nmodels: [lstm]\noptimizers: [{optimizer: adam, lr: 0.01}]\nnoise: {none: []}\n");
        string store = _folder.File("jobs.db");
        using var launched = CliProcess.Launch(["sweep", spec, "--store", store, "--jobs", "2", "--threads", "1"]);
        WaitFor(() => Directory.Exists(store + ".checkpoints") && Directory.GetFiles(store + ".checkpoints", "epoch-000001.ckpt", SearchOption.AllDirectories).Length == 2, launched.Process);

        // Kill one worker with -9, then stop the sweep, so that the run of the killed worker is left to settle.
        // Any thread of the sweep may have started them, so every thread's children are read.
        int[] workers = [.. Directory.GetDirectories($"/proc/{launched.Process.Id}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse)];
        Assert.Equal(2, workers.Length);
        Signal("KILL", workers[0]);
        Thread.Sleep(500);
        Signal("TERM", launched.Process.Id);
        Assert.True(launched.Process.WaitForExit(TimeSpan.FromMinutes(2)));

        string error = await launched.Error, output = await launched.Output;
        Assert.True(launched.Process.ExitCode == 130, $"exit {launched.Process.ExitCode}; stdout: {output}; stderr: {error}");
        Assert.Contains("noiselab: 1 worker process(es) ended abnormally (exit 137, signal 9); 1 run(s) they held are marked interrupted", error, StringComparison.Ordinal);
        Assert.True(output.Contains("0 failed, 2 interrupted; store", StringComparison.Ordinal), $"stdout: {output}; stderr: {error}");
        using RunStore opened = RunStore.Open(store);
        Assert.DoesNotContain(opened.Runs("jobs"), r => r.Status == RunStatus.Running);
        Assert.Contains(opened.Runs("jobs"), r => r.Error?.Contains("ended without settling it", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_sweep_whose_workers_die_after_storing_every_run_warns_and_succeeds()
    {
        string spec = Write("late.yaml", "name: late\ndata: \"synthetic:adding:length=10,train=200\"\nepochs: 2\nseeds: [0, 1]\nmodels: [lstm]\noptimizers: [{optimizer: adam, lr: 0.01}]\nnoise: {none: []}\n");
        string store = _folder.File("late.db");
        // Each worker kills itself (-9) once it has found nothing left to claim: after every run is stored.
        using var launched = CliProcess.Launch(["sweep", spec, "--store", store, "--jobs", "2", "--threads", "1"],
            new Dictionary<string, string> { ["NOISELAB_FAULT"] = "worker-exit@1" });
        Assert.True(launched.Process.WaitForExit(TimeSpan.FromMinutes(2)));

        string error = await launched.Error, output = await launched.Output;
        Assert.True(launched.Process.ExitCode == 0, $"exit {launched.Process.ExitCode}; stdout: {output}; stderr: {error}");
        Assert.Contains("noiselab: 2 worker process(es) ended abnormally (exit 137, 137, signal 9, 9) after every run of the sweep was stored; nothing is lost", error, StringComparison.Ordinal);
        Assert.Contains("sweep late: 2 runs, 2 trained now, 0 already done, 0 diverged, 0 failed; store", output, StringComparison.Ordinal);
        using RunStore opened = RunStore.Open(store);
        Assert.All(opened.Runs("late"), r => Assert.Equal(RunStatus.Finished, r.Status));
    }

    [Fact]
    public async Task A_sweep_says_which_runs_it_left_to_another_live_worker()
    {
        const string Text = "name: held\ndata: \"synthetic:adding:length=10,train=200\"\nepochs: 1\nseeds: [0, 1]\nmodels: [lstm]\noptimizers: [{optimizer: adam, lr: 0.01}]\nnoise: {none: []}\n";
        string spec = Write("held.yaml", Text), store = _folder.File("held.db");
        // This test's own process is the other worker: alive, with a fresh heartbeat.
        using (RunStore opened = RunStore.Open(store))
        {
            opened.Register(SweepSpec.Parse(Text, spec), Text);
            Assert.NotNull(opened.Claim("held", $"{Environment.MachineName}:{Environment.ProcessId}:abcdef", TimeSpan.FromMinutes(2)));
        }
        SqliteConnection.ClearAllPools();

        using var launched = CliProcess.Launch(["sweep", spec, "--store", store, "--threads", "1"]);
        Assert.True(launched.Process.WaitForExit(TimeSpan.FromMinutes(2)));

        string error = await launched.Error, output = await launched.Output;
        Assert.True(launched.Process.ExitCode == 0, $"exit {launched.Process.ExitCode}; stdout: {output}; stderr: {error}");
        Assert.Contains("sweep held: 2 runs, 1 trained now, 0 already done, 0 diverged, 0 failed, 1 held by another worker; store", output, StringComparison.Ordinal);
        Assert.Contains("noiselab: 1 run(s) are held by another worker whose heartbeat is fresh, so this sweep left them to it;", error, StringComparison.Ordinal);
    }

    // Defect 2: values that size threads, processes, points, lengths and names are bounded before anything is allocated.
    [Theory]
    [InlineData("train --threads 10000", "noiselab: --threads must be from 1 to")]
    [InlineData("sweep SPEC --jobs 10000", "noiselab: --jobs must be from 1 to")]
    [InlineData("tune --noise input:gaussian --sigma-range 0.01:1 --points 100000000", "noiselab: --points must be from 2 (the range's two ends) to 1000; got 100000000.")]
    [InlineData("tune --noise input:gaussian --sigma-range 0.01:1 --points 1000 --seeds 0,1,2,3,4,5,6,7,8,9,10 --folds 2", "noiselab: The search would train 22,000 times (1000 sigmas × 11 seeds × 2 fold(s)), more than the 10,000 allowed")]
    [InlineData("train --data synthetic:adding:length=1000000000", "noiselab: --data synthetic:adding:length=1000000000: length must be from 2 to 100,000; got 1,000,000,000.")]
    public void A_value_that_sizes_threads_processes_or_memory_is_bounded_before_anything_starts(string command, string expected)
    {
        string spec = Write("bounded.yaml", "name: bounded\ndata: \"synthetic:adding:length=10,train=100\"\n" + Tail + "\nnoise: {none: []}\n");

        var outcome = CliProcess.Run([.. command.Split(' ').Select(a => a == "SPEC" ? spec : a)]);

        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith(expected, outcome.StandardError.Trim(), StringComparison.Ordinal);
        AssertOwnSentence(outcome.StandardError.Trim());
        Assert.False(File.Exists(_folder.File("results/bounded.db")));
    }

    [Fact]
    public void More_jobs_than_runs_start_only_one_worker_per_run()
    {
        string spec = Write("few.yaml", "name: few\ndata: \"synthetic:adding:length=10,train=100\"\n" + Tail + "\nnoise: {none: []}\n");
        string store = _folder.File("few.db");

        var outcome = CliProcess.Run("sweep", spec, "--store", store, "--jobs", "8", "--threads", "1");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("noiselab: --jobs 8: only 1 run(s) are left to train, so 1 worker(s) start.", outcome.StandardError, StringComparison.Ordinal);
        using RunStore opened = RunStore.Open(store);
        Assert.Equal((RunStatus.Finished, 1), opened.Runs("few").Select(r => (r.Status, r.Attempts)).Single());
    }

    // Defect 3: a model too big for memory is refused with the size it would need, before it is built.
    [Fact]
    public void A_model_too_big_for_memory_is_refused_with_the_size_it_needs()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelMemory.Check(ModelSpec.Parse("mlp:100000,100000"), new ModelShape([1, 28, 28], 10), available: 8L << 30));
        Assert.Equal("The model mlp:100000,100000 has 10,079,600,010 parameters and needs about 188.1 GB to train at a batch of 128 (187.7 GB for its parameters, 0.4 GB for a batch's activations), more than the 8.0 GB of memory here; use smaller widths or fewer layers.", error.Message);

        var outcome = CliProcess.Run("train", "--model", "mlp:100000,100000", "--threads", "1");
        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith("noiselab: The model mlp:100000,100000 has 10,079,600,010 parameters and needs about 188.1 GB to train at a batch of 128", outcome.StandardError.Trim(), StringComparison.Ordinal);
        AssertOwnSentence(outcome.StandardError.Trim());
    }

    // Defects 8 and 9: NoiseLab's sentence instead of the parser's, and no silent acceptance.
    [Theory]
    [InlineData("train --epochs 1e12", "noiselab: --epochs must be a whole number of at most 2,147,483,647; got '1e12'.")]
    [InlineData("train --lr inf", "noiselab: --lr must be a finite number written like 0.05 or 1e-3; got 'inf'.")]
    [InlineData("train --lr Infinity", "noiselab: --lr must be a finite number greater than 0 and at most 1000; got infinity.")]
    [InlineData("train --lr 1e308", "noiselab: --lr must be a finite number greater than 0 and at most 1000; got 1E+308.")]
    [InlineData("train --lr-schedule step:every=0 --limit-train 10", "noiselab: --lr-schedule 'step:every=0': every must be greater than 0; got 0.")]
    [InlineData("train --early-stopping monitor=val_los", "noiselab: The monitor 'val_los' is not a figure that a run on fashion-mnist records; choose one of val_loss, train_loss, val_accuracy, train_accuracy, or a diagnostic's key (it has a dot, e.g. sharpness.trace).")]
    [InlineData("train --model lstm:hidden=0 --data synthetic:adding", "noiselab: lstm: hidden must be a whole number of at least 1; got 0.")]
    [InlineData("train --model transformer:heads=0 --data synthetic:majority", "noiselab: transformer: heads must be a whole number of at least 1; got 0.")]
    [InlineData("train --model transformer:dropout=2 --data synthetic:majority", "noiselab: transformer: dropout must be at least 0 and less than 1; got 2.")]
    [InlineData("train --model deepmlp:layers=0", "noiselab: deepmlp: layers must be a whole number of at least 1; got 0.")]
    [InlineData("train --lr-schedule restarts:mult=0", "noiselab: --lr-schedule 'restarts:mult=0': The cycle growth (mult) must be at least 1; got 0.")]
    [InlineData("train --model mlp:", "noiselab: mlp needs its hidden widths after a colon, e.g. mlp:500,500; without any it would be a linear model.")]
    public void A_bad_value_gets_noiselab_s_sentence_and_exit_2(string command, string expected)
    {
        var outcome = CliProcess.Run([.. command.Split(' '), "--threads", "1"]);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal(expected, outcome.StandardError.Trim().Split('\n')[0]);
        AssertOwnSentence(outcome.StandardError.Trim());
    }

    // Defect 8: a path that cannot be what the option needs is one sentence, before anything is written or trained.
    [Theory]
    [InlineData("report --store STORE --out FILE", "noiselab: --out 'FILE' is a file, not a folder; pass a folder (it is created if missing).")]
    [InlineData("export --store STORE --out FILE", "noiselab: --out 'FILE' is a file, not a folder; pass a folder (it is created if missing).")]
    [InlineData("train --checkpoints FILE", "noiselab: --checkpoints 'FILE' is a file, not a folder; pass a folder (it is created if missing).")]
    [InlineData("train --tensorboard FILE/runs", "noiselab: --tensorboard 'FILE/runs' cannot be a folder: 'FILE' above it is a file; pass a folder whose parents are folders.")]
    [InlineData("sweep SPECFILE --store FILE/new.db", "noiselab: The store 'FILE/new.db' cannot be made: its folder 'FILE' cannot be created (a file of that name is in the way); pass a --store in a folder you can write to.")]
    [InlineData("sweep SPECFILE --store FOLDER", "noiselab: The store 'FOLDER' is a folder; pass a file name for it, e.g. FOLDER/NAME.db.")]
    [InlineData("sweep SPECFILE --store NEW --checkpoints FILE", "noiselab: --checkpoints 'FILE' is a file, not a folder; pass a folder (it is created if missing).")]
    [InlineData("status --store FOLDER", "noiselab: The store 'FOLDER' is a folder; pass the store file a sweep wrote (e.g. results/NAME.db).")]
    [InlineData("report --store ZERO", "noiselab: The store 'ZERO' is an empty file, not a NoiseLab store; pass the store a sweep wrote.")]
    [InlineData("export --store ZERO", "noiselab: The store 'ZERO' is an empty file, not a NoiseLab store; pass the store a sweep wrote.")]
    [InlineData("report --store BARE", "noiselab: The store BARE holds no sweep, so there is nothing to report; run 'noiselab sweep SPEC --store BARE' first.")]
    public void A_path_that_cannot_be_what_its_option_needs_is_one_sentence_and_nothing_is_written(string command, string expected)
    {
        string file = Write("taken.txt", "a file in the way\n");
        string folder = _folder.File("a-folder");
        Directory.CreateDirectory(folder);
        const string Text = "name: paths\ndata: \"synthetic:adding:length=10,train=100\"\n" + Tail + "\nnoise: {none: []}\n";
        string spec = Write("paths.yaml", Text), store = _folder.File("paths.db"), fresh = _folder.File("new.db");
        using (RunStore opened = RunStore.Open(store))
            opened.Register(SweepSpec.Parse(Text, spec), Text);
        string zero = Write("zero.db", ""), bare = _folder.File("bare.db");
        using (RunStore.Open(bare))
        {
        }
        SqliteConnection.ClearAllPools();
        string[] before = [.. Directory.GetFileSystemEntries(_folder.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
        string Fill(string text) => text.Replace("SPECFILE", spec, StringComparison.Ordinal).Replace("FILE", file, StringComparison.Ordinal).Replace("ZERO", zero, StringComparison.Ordinal).Replace("BARE", bare, StringComparison.Ordinal).Replace("FOLDER", folder, StringComparison.Ordinal)
            .Replace("STORE", store, StringComparison.Ordinal).Replace("NEW", fresh, StringComparison.Ordinal);

        var outcome = CliProcess.Run([.. command.Split(' ').Select(Fill), .. command.StartsWith("train", StringComparison.Ordinal) || command.StartsWith("sweep", StringComparison.Ordinal) ? new[] { "--threads", "1" } : []]);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal(Fill(expected), outcome.StandardError.Trim());
        AssertOwnSentence(outcome.StandardError.Trim());
        Assert.Equal("a file in the way\n", File.ReadAllText(file));
        Assert.Equal(0, new FileInfo(zero).Length);
        Assert.Equal(before, Directory.GetFileSystemEntries(_folder.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("seeds: [0, 0]", "'seeds' lists the seed 0 2 times; each seed must appear once.")]
    [InlineData("name: !!binary aGVsbG8=", "'name' must be plain text, not a value tagged !!binary; remove the tag.")]
    public void A_spec_value_that_would_be_misread_is_refused(string line, string expected)
    {
        string text = "name: ok\nepochs: 1\nseeds: [0]\nmodels: [\"mlp:8\"]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n";
        string key = line.Split(':')[0];
        text = string.Join('\n', text.Split('\n').Select(l => l.StartsWith(key + ":", StringComparison.Ordinal) ? line : l));

        var error = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(text, "odd.yaml"));

        Assert.EndsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("odd.yaml:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_on_an_empty_store_says_it_holds_no_sweep()
    {
        string store = _folder.File("empty.db");
        using (RunStore.Open(store))
        {
        }

        var outcome = CliProcess.Run("status", "--store", store);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal($"The store {store} holds no sweep yet; run 'noiselab sweep SPEC --store {store}' to start one.", outcome.StandardOutput.Trim());
    }

    private static void WaitFor(Func<bool> condition, Process process)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "the process did not get there in 2 minutes");
            Assert.False(process.HasExited, "the process ended too early");
            Thread.Sleep(20);
        }
    }

    private static void Signal(string signal, int pid)
    {
        using Process kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    [Fact]
    public void A_sweep_grown_by_a_seed_after_a_kill_resumes_its_interrupted_run_from_its_checkpoint()
    {
        const string Text = "name: grow\ndata: \"synthetic:adding:length=10,train=200\"\nepochs: 3\nseeds: [0]\nmodels: [lstm]\noptimizers: [{optimizer: adam, lr: 0.01}]\nnoise: {none: [], tiny: [\"gradient:gaussian:sigma=0.01\"]}\nstacking: false\n";
        string spec = Write("grow.yaml", Text), store = _folder.File("grow.db"), reference = _folder.File("reference.db");
        // Killed once the second epoch is stored and before its checkpoint is written: epoch 1's checkpoint is the one to resume from.
        using (var killed = CliProcess.Launch(["sweep", spec, "--store", store, "--threads", "1"], new Dictionary<string, string> { ["NOISELAB_FAULT"] = "before-checkpoint@2" }))
        {
            Assert.True(killed.Process.WaitForExit(TimeSpan.FromMinutes(2)));
            Assert.NotEqual(0, killed.Process.ExitCode);
        }
        Write("grow.yaml", Text.Replace("seeds: [0]", "seeds: [0, 1]", StringComparison.Ordinal));

        var grown = CliProcess.Run("sweep", spec, "--store", store, "--threads", "1");
        var uninterrupted = CliProcess.Run("sweep", spec, "--store", reference, "--threads", "1");

        Assert.True(grown.ExitCode == 0, $"stdout: {grown.StandardOutput}; stderr: {grown.StandardError}");
        Assert.Equal(0, uninterrupted.ExitCode);
        using RunStore opened = RunStore.Open(store), expected = RunStore.Open(reference);
        string first = "synthetic:adding:length=10,train=200|lstm|adam:0.01|clip=none|none|seed=0";
        StoredRun resumed = opened.Runs("grow").Single(r => r.Id == first);
        Assert.Equal(RunStatus.Finished, resumed.Status);
        Assert.Equal(2, resumed.Attempts);
        Assert.Equal(4, opened.Runs("grow").Count(r => r.Status == RunStatus.Finished));
        foreach (StoredRun run in expected.Runs("grow"))
            Assert.Equal(expected.Epochs("grow", run.Id), opened.Epochs("grow", run.Id));
    }
}
