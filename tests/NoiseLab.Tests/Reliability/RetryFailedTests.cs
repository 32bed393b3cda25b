using Microsoft.Data.Sqlite;
using NoiseLab.Experiments;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Reliability;

/// <summary>
/// A run stored as failed stays failed, and is said to, until <c>noiselab sweep --retry-failed</c> trains it again:
/// the cause of a failure may still be there, so a rerun never retries it on its own.
/// </summary>
public sealed class RetryFailedTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private static string Series(string column) =>
        $"day,{column}\n" + string.Join("\n", Enumerable.Range(0, 400).Select(i => $"{i},{Math.Sin(i / 5.0):F3}")) + "\n";

    [Fact]
    public void A_failed_run_is_kept_failed_by_a_rerun_and_trained_again_from_its_first_epoch_with_retry_failed()
    {
        string csv = _folder.File("series.csv");
        File.WriteAllText(csv, Series("wrong"));
        string spec = _folder.File("retry.yaml");
        File.WriteAllText(spec, $$"""
            name: retry
            seeds: [0]
            groups:
              - data: "synthetic:adding:length=10,train=200"
                epochs: 2
                models: ["mlp:8"]
                optimizers: [{optimizer: sgd, lr: 0.01}]
              - data: "csv:{{csv}}:column=temp"
                epochs: 2
                models: ["mlp:8"]
                optimizers: [{optimizer: sgd, lr: 0.01}]
            noise: {none: []}
            """);
        string store = _folder.File("retry.db");

        var first = CliProcess.Run("sweep", spec, "--store", store, "--threads", "1");
        Assert.Equal(1, first.ExitCode);
        Assert.Contains($"noiselab: 1 run(s) failed; 'noiselab status --store {store}' shows why, and once that is fixed, this command with --retry-failed trains them again.", first.StandardError, StringComparison.Ordinal);
        string failedId;
        using (RunStore opened = RunStore.Open(store))
            failedId = Assert.Single(opened.Runs("retry"), r => r.Status == RunStatus.Failed).Id;

        // The cause is fixed, but a plain rerun leaves the failed run as it is, and says so.
        File.WriteAllText(csv, Series("temp"));
        var rerun = CliProcess.Run("sweep", spec, "--store", store, "--threads", "1");
        Assert.Equal(0, rerun.ExitCode);
        Assert.Equal($"sweep retry: 2 runs, 0 trained now, 1 already done, 0 diverged, 0 failed; store {store}", rerun.StandardOutput.Trim());
        Assert.Contains($"noiselab: 1 run(s) of this sweep failed in an earlier sweep and were not trained again; 'noiselab status --store {store}' shows why, and --retry-failed trains them again.", rerun.StandardError, StringComparison.Ordinal);

        // With --retry-failed it trains again, counted among the runs left (one worker starts for it).
        var retried = CliProcess.Run("sweep", spec, "--store", store, "--jobs", "2", "--threads", "1", "--retry-failed");
        Assert.Equal(0, retried.ExitCode);
        Assert.Contains("noiselab: --retry-failed: 1 failed run(s) train again from their first epoch.", retried.StandardError, StringComparison.Ordinal);
        Assert.Contains("noiselab: --jobs 2: only 1 run(s) are left to train, so 1 worker(s) start.", retried.StandardError, StringComparison.Ordinal);
        Assert.Equal($"sweep retry: 2 runs, 1 trained now, 1 already done, 0 diverged, 0 failed; store {store}", retried.StandardOutput.Trim());
        Assert.DoesNotContain("earlier sweep", retried.StandardError, StringComparison.Ordinal);
        using RunStore after = RunStore.Open(store);
        StoredRun run = Assert.Single(after.Runs("retry"), r => r.Id == failedId);
        Assert.Equal(RunStatus.Finished, run.Status);
        Assert.Null(run.Error);
        Assert.Equal(2, run.Attempts);
        Assert.Equal([1, 2], after.Epochs("retry", failedId).Select(e => e.Epoch));
    }
}
