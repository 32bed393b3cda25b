using System.Text.Json;
using NoiseLab.Cli.Commands;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Cli;

public sealed class TuneCommandTests
{
    [Fact]
    public void Json_output_has_each_candidates_scores_summary_and_both_choices()
    {
        var outcome = CliProcess.Run("tune", "--noise", "input:gaussian", "--sigmas", "none,100", "--folds", "2",
            "--limit-train", "300", "--model", "mlp:16", "--batch-size", "32", "--lr", "0.1", "--epochs", "3", "--no-download", "--threads", "2", "--json");

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        using JsonDocument json = JsonDocument.Parse(outcome.StandardOutput);
        JsonElement root = json.RootElement;
        Assert.Equal("input:gaussian", root.GetProperty("noise").GetString());
        Assert.Equal("val_accuracy", root.GetProperty("metric").GetString());
        Assert.True(root.GetProperty("higher_is_better").GetBoolean());
        Assert.Equal(2, root.GetProperty("folds").GetInt32());
        Assert.Equal([0L], root.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt64()));
        JsonElement[] candidates = [.. root.GetProperty("candidates").EnumerateArray()];
        Assert.Equal([0.0, 100.0], candidates.Select(c => c.GetProperty("sigma").GetDouble()));
        Assert.Equal(JsonValueKind.Null, candidates[0].GetProperty("plan").ValueKind);
        Assert.Equal("input:gaussian:sigma=100", candidates[1].GetProperty("plan").GetString());
        foreach (JsonElement candidate in candidates)
        {
            JsonElement[] scores = [.. candidate.GetProperty("scores").EnumerateArray()];
            Assert.Equal([0, 1], scores.Select(s => s.GetProperty("fold").GetInt32()));
            double[] values = [.. scores.Select(s => s.GetProperty("score").GetDouble())];
            double mean = values.Average(), std = Math.Abs(values[0] - values[1]) / Math.Sqrt(2);
            Assert.Equal((2, 0), (candidate.GetProperty("count").GetInt32(), candidate.GetProperty("diverged").GetInt32()));
            Assert.Equal(mean, candidate.GetProperty("mean").GetDouble(), 12);
            Assert.Equal(std, candidate.GetProperty("std").GetDouble(), 12);
            Assert.Equal(std / Math.Sqrt(2), candidate.GetProperty("std_error").GetDouble(), 12);
        }
        Assert.True(candidates[0].GetProperty("mean").GetDouble() > candidates[1].GetProperty("mean").GetDouble() + 0.2);
        Assert.Equal(0, root.GetProperty("best").GetProperty("sigma").GetDouble());
        Assert.Equal(candidates[0].GetProperty("mean").GetDouble(), root.GetProperty("best").GetProperty("mean").GetDouble());
        Assert.Equal(0, root.GetProperty("one_standard_error").GetProperty("sigma").GetDouble());
        Assert.Contains("[4/4] sigma 100, fold 2/2, seed 0: ", outcome.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_marks_the_best_and_the_1se_choice_and_suggests_the_plan()
    {
        var outcome = CliProcess.Run("tune", "--noise", "input:gaussian", "--sigmas", "0.05,100",
            "--limit-train", "300", "--model", "mlp:16", "--batch-size", "32", "--no-download", "--threads", "2");

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        string[] lines = outcome.StandardOutput.Split('\n');
        Assert.Equal("input:gaussian: sigma by val_accuracy (higher is better), validation split × 1 seed", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("│ 0.05 ", StringComparison.Ordinal) && l.TrimEnd().EndsWith("│ best, 1-SE choice │", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("best: sigma 0.05, val_accuracy ", StringComparison.Ordinal) && l.Contains("(std over 1 run; std error 0.0000)", StringComparison.Ordinal));
        Assert.Contains("suggested: --noise input:gaussian:sigma=0.05", lines);
    }

    [Theory]
    [InlineData("noiselab: --sigma-range: a log range needs 0 < LOW < HIGH; got 1:0.001.", "--sigma-range", "1:0.001")]
    [InlineData("noiselab: --sigma-range: a log range is written LOW:HIGH with 0 < LOW < HIGH, e.g. 0.001:1; got '0.001..1'.", "--sigma-range", "0.001..1")]
    [InlineData("noiselab: --points must be from 2 (the range's two ends) to 1000; got 1.", "--sigma-range", "0.001:1", "--points", "1")]
    [InlineData("noiselab: --sigmas: sigma -0.01 is negative; a sigma is a standard deviation, 0 or more.", "--sigmas", "0.1,-0.01")]
    [InlineData("noiselab: --folds must be at least 2; got 1.", "--sigmas", "0.1,0.3", "--folds", "1")]
    [InlineData("noiselab: Cross-validation with 200 folds needs at least 200 training samples; the training split holds 100.", "--sigmas", "0.1,0.3", "--folds", "200", "--limit-train", "100")]
    [InlineData("noiselab: Give the candidate sigmas with --sigmas S1,S2,... or --sigma-range LOW:HIGH --points N.")]
    [InlineData("noiselab: Give the candidates with --sigmas or with --sigma-range, not both.", "--sigmas", "0.1,0.3", "--sigma-range", "0.1:1")]
    [InlineData("noiselab: --points goes with --sigma-range; --sigmas lists its candidates itself.", "--sigmas", "0.1,0.3", "--points", "3")]
    [InlineData("noiselab: --seeds: 'x' is not an integer; give seeds as a comma-separated list, e.g. 0,1,2.", "--sigmas", "0.1,0.3", "--seeds", "0,x")]
    public void Invalid_input_exits_2_with_one_sentence(string expected, params string[] arguments)
    {
        var outcome = CliProcess.Run(["tune", "--noise", "input:gaussian", "--model", "mlp:8", "--no-download", "--threads", "2", .. arguments]);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("", outcome.StandardOutput);
        Assert.Equal(expected, outcome.StandardError.TrimEnd('\n'));
    }

    [Fact]
    public void Tune_takes_the_same_run_options_as_train()
    {
        string[] Shared(System.CommandLine.Command command, params string[] own) =>
            [.. command.Options.Select(o => o.Name).Except(own).Order(StringComparer.Ordinal)];

        string[] train = Shared(TrainCommand.Create(), "--seed", "--noise", "--sharpness", "--early-stopping", "--restarts", "--one-at-a-time", "--success-at", "--tensorboard", "--tensorboard-histograms", "--checkpoints", "--json");
        string[] tune = Shared(TuneCommand.Create(), "--seeds", "--noise", "--sigmas", "--sigma-range", "--points", "--baseline", "--folds", "--json");

        Assert.Equal(train, tune);
        Assert.Equal(21, tune.Length);
        Assert.Contains("--generator", tune);
        Assert.Contains("--limit-train", tune);
    }

    [Fact]
    public void A_noise_plan_that_gives_its_own_sigma_exits_2()
    {
        var outcome = CliProcess.Run("tune", "--noise", "input:gaussian:sigma=0.1", "--sigmas", "0.1,0.3");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("noiselab: --noise 'input:gaussian:sigma=0.1' gives a sigma; leave it out, the search fills it in.", outcome.StandardError.TrimEnd('\n'));
    }
}
