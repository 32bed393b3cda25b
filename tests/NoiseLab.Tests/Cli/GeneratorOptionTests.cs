using System.Text.Json;
using NoiseLab.Randomness;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Cli;

/// <summary>--generator on the command line: recorded in --json, checkpoints and stores, and another generator refused before anything trains.</summary>
public sealed class GeneratorOptionTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly string[] s_train = ["train", "--limit-train", "300", "--model", "mlp:8", "--no-download", "--threads", "1", "--noise", "gradient:gaussian:sigma=0.01"];

    [Fact]
    public void Train_records_the_generator_in_its_json_and_two_generators_give_two_runs()
    {
        var v1 = CliProcess.Run([.. s_train, "--json", "--generator", "aes128-boxmuller-v1"]);
        var v2 = CliProcess.Run([.. s_train, "--json", "--generator", "ars7-boxmuller-v2"]);

        Assert.True(v1.ExitCode == 0 && v2.ExitCode == 0, v1.StandardError + v2.StandardError);
        using JsonDocument first = JsonDocument.Parse(v1.StandardOutput), second = JsonDocument.Parse(v2.StandardOutput);
        Assert.Equal("aes128-boxmuller-v1", first.RootElement.GetProperty("generator").GetString());
        Assert.Equal("ars7-boxmuller-v2", second.RootElement.GetProperty("generator").GetString());
        Assert.NotEqual(first.RootElement.GetProperty("test_loss").GetDouble(), second.RootElement.GetProperty("test_loss").GetDouble());
    }

    [Fact]
    public void A_checkpoint_folder_of_another_generator_is_refused_naming_both_and_its_own_continues_it()
    {
        string checkpoints = _folder.File("ckpt");
        var written = CliProcess.Run([.. s_train, "--epochs", "2", "--checkpoints", checkpoints, "--generator", "aes128-boxmuller-v1", "--json"]);

        var refused = CliProcess.Run([.. s_train, "--epochs", "2", "--checkpoints", checkpoints, "--generator", "ars7-boxmuller-v2", "--json"]);
        var continued = CliProcess.Run([.. s_train, "--epochs", "2", "--checkpoints", checkpoints, "--generator", "aes128-boxmuller-v1", "--json"]);

        Assert.True(written.ExitCode == 0, written.StandardError);
        Assert.Equal((2, ""), (refused.ExitCode, refused.StandardOutput));
        Assert.Equal($"noiselab: The checkpoints in '{checkpoints}' were drawn with noise generator aes128-boxmuller-v1, and this run draws with ars7-boxmuller-v2; run it with --generator aes128-boxmuller-v1 to continue it, or pass another --checkpoints folder to start afresh.", refused.StandardError.TrimEnd('\n'));
        Assert.True(continued.ExitCode == 0, continued.StandardError);
        Assert.Contains("resuming after epoch 2", continued.StandardError, StringComparison.Ordinal);
        using JsonDocument before = JsonDocument.Parse(written.StandardOutput), after = JsonDocument.Parse(continued.StandardOutput);
        Assert.Equal(before.RootElement.GetProperty("history").GetRawText(), after.RootElement.GetProperty("history").GetRawText());
    }

    [Fact]
    public void A_store_of_another_generator_is_refused_naming_both_before_anything_trains_and_its_own_continues_it()
    {
        string spec = _folder.File("g.yaml"), store = _folder.File("g.db");
        File.WriteAllText(spec, "name: g\nlimit_train: 200\nepochs: 1\nseeds: [0, 1]\nmodels: [\"mlp:8\"]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: [], input: [\"input:gaussian:sigma=0.1\"]}\n");
        var first = CliProcess.Run("sweep", spec, "--store", store, "--threads", "1", "--generator", "aes128-boxmuller-v1");
        string other = NoiseGenerator.All.First(g => g.Name != "aes128-boxmuller-v1").Name;

        var refused = CliProcess.Run("sweep", spec, "--store", store, "--threads", "1", "--generator", other);
        var again = CliProcess.Run("sweep", spec, "--store", store, "--threads", "1", "--generator", "aes128-boxmuller-v1");
        var status = CliProcess.Run("status", "--store", store);

        Assert.True(first.ExitCode == 0, first.StandardError);
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"noiselab: The store '{store}' holds sweep 'g' drawn with noise generator aes128-boxmuller-v1, and this sweep would draw with {other}; run it with --generator aes128-boxmuller-v1 to continue it, or use another --store to start it afresh.", refused.StandardError.TrimEnd('\n'));
        Assert.Equal($"sweep g: 4 runs, 0 trained now, 4 already done, 0 diverged, 0 failed; store {store}", again.StandardOutput.Trim());
        Assert.StartsWith("g: 0 pending, 0 running, 0 interrupted, 4 finished", status.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spec_that_names_one_generator_and_an_option_that_names_another_are_refused()
    {
        string spec = _folder.File("named.yaml");
        File.WriteAllText(spec, "name: named\nepochs: 1\nseeds: [0]\nmodels: [\"mlp:8\"]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\ngenerator: aes128-boxmuller-v1\n");

        var outcome = CliProcess.Run("sweep", spec, "--store", _folder.File("named.db"), "--generator", "ars7-boxmuller-v2");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("noiselab: The spec of sweep 'named' names generator aes128-boxmuller-v1 and --generator names ars7-boxmuller-v2; drop one of them.", outcome.StandardError.TrimEnd('\n'));
        Assert.False(File.Exists(_folder.File("named.db")));
    }
}
