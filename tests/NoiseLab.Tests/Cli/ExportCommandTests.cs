using NoiseLab.Experiments;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Cli;

public sealed class ExportCommandTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Bad_input_exits_2_with_one_sentence_and_writes_nothing()
    {
        string store = _folder.File("store.db");
        using (RunStore.Open(store)) { }
        File.WriteAllText(_folder.File("a-file"), "not a folder");

        var missing = CliProcess.Run("export", "--store", _folder.File("none.db"), "--out", _folder.File("out"));
        var format = CliProcess.Run("export", "--store", store, "--format", "xlsx", "--out", _folder.File("out"));
        var unwritable = CliProcess.Run("export", "--store", store, "--out", Path.Combine(_folder.File("a-file"), "sub"));

        Assert.Equal((2, $"noiselab: The store '{_folder.File("none.db")}' does not exist; run 'noiselab sweep SPEC --store {_folder.File("none.db")}' first."), (missing.ExitCode, missing.StandardError.TrimEnd('\n')));
        Assert.Equal((2, "noiselab: --format must be csv or parquet, not 'xlsx'."), (format.ExitCode, format.StandardError.TrimEnd('\n')));
        Assert.Equal(2, unwritable.ExitCode);
        Assert.Equal($"noiselab: --out '{Path.Combine(_folder.File("a-file"), "sub")}' cannot be a folder: '{_folder.File("a-file")}' above it is a file; pass a folder whose parents are folders.", unwritable.StandardError.TrimEnd('\n'));
        Assert.DoesNotContain('\n', unwritable.StandardError.TrimEnd('\n'));
        Assert.False(Directory.Exists(_folder.File("out")));
    }

    [Fact]
    public void An_empty_store_exports_two_tables_with_their_headers()
    {
        string store = _folder.File("store.db");
        using (RunStore.Open(store)) { }

        var outcome = CliProcess.Run("export", "--store", store, "--out", _folder.File("out"));

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        Assert.Equal([Path.Combine(_folder.File("out"), "runs.csv"), Path.Combine(_folder.File("out"), "epochs.csv")], outcome.StandardOutput.Trim().Split('\n'));
        Assert.StartsWith("sweep,run,configuration,plan,seed,position,status,error,attempts,seconds,epochs,test_loss,test_accuracy,", File.ReadAllText(_folder.File("out/runs.csv")), StringComparison.Ordinal);
        Assert.Equal("sweep,run,epoch,train_loss,train_accuracy,val_loss,val_accuracy,grad_norm,grad_norm_change,weight_update_norm,learning_rate", File.ReadAllText(_folder.File("out/epochs.csv")).Trim());
    }
}
