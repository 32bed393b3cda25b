using System.Text.Json;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Cli;

public sealed class TrainEarlyStoppingTests
{
    [Fact]
    public void Train_stops_early_and_says_so_in_its_json()
    {
        // Training loss falls, so "higher is better" stops at epoch 2 and keeps epoch 1.
        var outcome = CliProcess.Run("train", "--limit-train", "1000", "--model", "mlp:16", "--no-download", "--json", "--threads", "2", "--epochs", "6",
            "--early-stopping", "monitor=train_loss,mode=max,patience=1,restore=true");
        var bad = CliProcess.Run("train", "--limit-train", "100", "--no-download", "--early-stopping", "patience=-1");

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        using JsonDocument json = JsonDocument.Parse(outcome.StandardOutput);
        JsonElement stop = json.RootElement.GetProperty("early_stopping");
        JsonElement[] history = [.. json.RootElement.GetProperty("history").EnumerateArray()];
        Assert.Equal((2, 2, 1, 1), (history.Length, stop.GetProperty("stopped_epoch").GetInt32(), stop.GetProperty("best_epoch").GetInt32(), stop.GetProperty("restored_epoch").GetInt32()));
        Assert.Equal(history[0].GetProperty("train_loss").GetDouble(), stop.GetProperty("best_value").GetDouble());
        Assert.Equal(1, history[1].GetProperty("diagnostics").GetProperty("early_stopping.stopped").GetDouble());
        Assert.Equal((2, "noiselab: --early-stopping: The early-stopping patience must be a number of epochs, 0 or more, not -1; the form is monitor=val_loss,mode=min|max,patience=0,min_delta=0,restore=false."),
            (bad.ExitCode, bad.StandardError.TrimEnd('\n')));
    }
}
