using System.Diagnostics;
using System.Text.Json;
using NoiseLab.TensorBoard;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.TensorBoard;

public sealed class TrainCommandTensorBoardTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Train_with_tensorboard_writes_one_event_file_whose_scalars_are_the_json_history_at_float_precision()
    {
        string logDir = Path.Combine(_folder.Path, "tb");

        var outcome = CliProcess.Run("train", "--limit-train", "1000", "--model", "mlp:16", "--epochs", "2", "--no-download", "--json", "--threads", "2",
            "--noise", "input:gaussian:sigma=0.3,decay=0.5", "--tensorboard", logDir);

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        using JsonDocument json = JsonDocument.Parse(outcome.StandardOutput);
        JsonElement[] history = [.. json.RootElement.GetProperty("history").EnumerateArray()];
        string file = Assert.Single(EventFileReader.FindFiles(logDir));
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(file), StringComparison.Ordinal);
        IReadOnlyList<TensorBoardEvent> events = EventFileReader.ReadEvents(file);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal([1L, 2L], events.Where(e => e.Scalars.Count > 0).Select(e => e.Step));
        foreach (JsonElement epoch in history)
        {
            var expected = new Dictionary<string, float>
            {
                ["loss/train"] = Float(epoch, "train_loss"),
                ["loss/val"] = Float(epoch, "val_loss"),
                ["accuracy/train"] = Float(epoch, "train_accuracy"),
                ["accuracy/val"] = Float(epoch, "val_accuracy"),
                ["grad_norm"] = Float(epoch, "grad_norm"),
                ["grad_norm_change"] = Float(epoch, "grad_norm_change"),
                ["weight_update_norm"] = Float(epoch, "weight_update_norm"),
                ["learning_rate"] = Float(epoch, "learning_rate"),
            };
            foreach (var (group, prefix) in new[] { ("train_metrics", "train/"), ("val_metrics", "val/"), ("sigmas", "sigma/"), ("diagnostics", "diagnostics/") })
            {
                foreach (JsonProperty entry in epoch.GetProperty(group).EnumerateObject())
                    expected[prefix + entry.Name] = (float)entry.Value.GetDouble();
            }
            long step = epoch.GetProperty("epoch").GetInt64();

            Dictionary<string, float> logged = events.Single(e => e.Step == step).Scalars.ToDictionary(s => s.Tag, s => s.Value);

            Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), logged.OrderBy(e => e.Key, StringComparer.Ordinal));
        }
        // The input noise's level halves each epoch (decay=0.5), and the file says so.
        Assert.Equal([0.3f, 0.15f], events.Where(e => e.Scalars.Count > 0).Select(e => e.Scalars.Single(s => s.Tag == "sigma/input").Value));
    }

    [Fact]
    public void Train_records_its_settings_for_the_hparams_tab_and_with_histograms_every_parameter_each_epoch()
    {
        string logDir = Path.Combine(_folder.Path, "tb");

        var outcome = CliProcess.Run("train", "--limit-train", "500", "--model", "mlp:8", "--epochs", "2", "--no-download", "--json", "--threads", "2",
            "--lr", "0.02", "--noise", "gradient:gaussian:sigma=0.01", "--tensorboard", logDir, "--tensorboard-histograms");

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        string file = Assert.Single(EventFileReader.FindFiles(logDir));
        IReadOnlyList<HParamsRecord> hparams = HParamsRecord.In(EventFileReader.ReadMessages(file));
        Assert.Equal([null, 1], hparams.Select(h => h.Status));
        var settings = hparams[0].Hyperparameters!;
        Assert.Equal("mlp:8", settings["model"].StringValue);
        Assert.Equal(0.02, settings["lr"].NumberValue);
        Assert.Equal("gradient:gaussian:sigma=0.01", settings["noise"].StringValue);
        Assert.Equal(2, settings["epochs"].NumberValue);
        // mlp:8 has two linear layers, each a weight and a bias: four parameters, each with its gradient; and the
        // gradient noise of the epoch's last step, one value per parameter element (784·8 + 8 + 8·10 + 10).
        var histogramEvents = EventFileReader.ReadEvents(file).Where(e => e.Histograms.Count > 0).ToArray();
        Assert.Equal([1L, 2L], histogramEvents.Select(e => e.Step));
        Assert.All(histogramEvents, e => Assert.Equal(9, e.Histograms.Count));
        Assert.All(histogramEvents, e => Assert.Equal(784 * 8 + 8 + 8 * 10 + 10, e.Histograms.Single(h => h.Tag == "noise/gradient").Count));
        Assert.All(histogramEvents[1].Histograms, h => Assert.Equal(h.Count, h.BucketCounts.Sum()));
    }

    [Fact]
    public void Histograms_without_a_tensorboard_folder_exit_2_naming_the_missing_option()
    {
        var outcome = CliProcess.Run("train", "--limit-train", "100", "--model", "mlp:8", "--epochs", "1", "--no-download", "--tensorboard-histograms");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--tensorboard-histograms needs --tensorboard DIR, the folder to write them into.", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Restarts_write_one_tensorboard_run_per_seed()
    {
        string logDir = Path.Combine(_folder.Path, "tb");

        var outcome = CliProcess.Run("train", "--limit-train", "500", "--model", "mlp:16", "--epochs", "1", "--no-download", "--json", "--threads", "2",
            "--restarts", "2", "--seed", "5", "--success-at", "0.5", "--tensorboard", logDir);

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        Assert.Equal(["seed=5", "seed=6"], Directory.GetDirectories(logDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        float[] losses = [.. new[] { "seed=5", "seed=6" }.Select(run =>
            EventFileReader.ReadScalars(Assert.Single(EventFileReader.FindFiles(Path.Combine(logDir, run))))
                .Single(s => s.Tag == "loss/train" && s.Step == 1).Value)];
        Assert.All(losses, loss => Assert.InRange(loss, 0.01f, 5f));
        Assert.NotEqual(losses[0], losses[1]);
    }

    [Fact]
    public void A_killed_run_leaves_a_file_that_reads_back_cleanly_up_to_its_last_finished_epoch()
    {
        string logDir = Path.Combine(_folder.Path, "tb");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { Path.Combine(AppContext.BaseDirectory, "NoiseLab.Cli.dll"), "train", "--limit-train", "5000", "--model", "mlp:16",
                     "--epochs", "10000", "--no-download", "--json", "--threads", "1", "--tensorboard", logDir })
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            // Wait until two epochs are on disk, then SIGKILL: no Dispose, no OnTrainEnd, no finalizers.
            var watch = Stopwatch.StartNew();
            while (Epochs(logDir) < 2)
            {
                Assert.False(process.HasExited, "the run ended before it was killed");
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), "no second epoch in the event file after 2 minutes");
                Thread.Sleep(50);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        // Every record reads back with both checksums good, and the epochs are 1, 2, ... with none missing.
        string file = Assert.Single(EventFileReader.FindFiles(logDir));
        long[] steps = [.. EventFileReader.ReadEvents(file).Where(e => e.Scalars.Count > 0).Select(e => e.Step)];
        Assert.True(steps.Length >= 2, $"{steps.Length} epochs");
        Assert.Equal(Enumerable.Range(1, steps.Length).Select(i => (long)i), steps);
    }

    // Epochs in the run's file so far; a read that lands between a record's bytes and the flush counts what came before.
    private static int Epochs(string logDir)
    {
        if (!Directory.Exists(logDir) || EventFileReader.FindFiles(logDir) is not [string file])
            return 0;
        try
        {
            return EventFileReader.ReadEvents(file).Count(e => e.Scalars.Count > 0);
        }
        catch (InvalidDataException)
        {
            return 0;
        }
    }

    [Fact]
    public void A_tensorboard_folder_that_cannot_be_made_exits_2_with_one_line()
    {
        string notAFolder = _folder.File("plain-file");
        File.WriteAllText(notAFolder, "");

        var outcome = CliProcess.Run("train", "--limit-train", "100", "--no-download", "--tensorboard", notAFolder);

        Assert.Equal(2, outcome.ExitCode);
        string message = outcome.StandardError.TrimEnd('\n');
        Assert.DoesNotContain('\n', message);
        Assert.Equal($"noiselab: --tensorboard '{notAFolder}' is a file, not a folder; pass a folder (it is created if missing).", message);
    }

    private static float Float(JsonElement epoch, string field) => (float)epoch.GetProperty(field).GetDouble();
}
