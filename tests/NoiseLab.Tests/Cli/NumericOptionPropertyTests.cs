using System.CommandLine;
using System.Globalization;
using CsCheck;
using NoiseLab.Cli;
using NoiseLab.Cli.Commands;
using NoiseLab.Experiments;

namespace NoiseLab.Tests.Cli;

/// <summary>
/// Every numeric option of a run, given random and boundary values (0, negative, huge, NaN, Infinity,
/// unparsable text): it is either accepted, or refused in NoiseLab's one sentence naming the option.
/// In-process on the parsing and validation layer (the data set is not loaded), so the property costs seconds.
/// </summary>
public sealed class NumericOptionPropertyTests
{
    private static readonly string[] s_options = ["--lr", "--momentum", "--weight-decay", "--clip", "--epochs", "--batch-size", "--accumulate", "--limit-train", "--val-size", "--threads"];

    private static readonly string[] s_boundaries =
    [
        "0", "-0", "-1", "1", "2", "1e12", "-1e12", "1e308", "1e-308", "NaN", "nan", "Infinity", "-Infinity", "inf", "∞", "2147483647", "2147483648",
        "-2147483648", "9999999999999999999999", "0x10", "1,5", "1.5", "", " ", "abc", "1e", "--", "0.999999", "1000", "1000.0001",
    ];

    private static readonly Gen<string> s_values = Gen.OneOf(
        Gen.Int[0, s_boundaries.Length - 1].Select(i => s_boundaries[i]),
        Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture)),
        Gen.Double.Select(d => d.ToString("R", CultureInfo.InvariantCulture)),
        Gen.String[Gen.Char.AlphaNumeric, 0, 12]);

    /// <summary>What the CLI would do with one value: null when accepted, else its message.</summary>
    internal static string? Outcome(string option, string value)
    {
        var run = new RunOptions();
        var command = new Command("train");
        run.AddTo(command);
        ParseResult parsed = command.Parse([option, value, "--model", "mlp:4"]);
        if (parsed.Errors.Count > 0)
        {
            // The parser may add "Unrecognized command or argument" for the value; the option's own error is the one a user reads.
            string[] messages = [.. parsed.Errors.Select(e => OptionErrors.Rewrite(e.Message))];
            return messages.FirstOrDefault(m => m.StartsWith(option, StringComparison.Ordinal)) ?? messages[0];
        }
        try
        {
            RunSpec spec = run.ToRunSpec(parsed);
            RunRequirements.Check(spec);
            return null;
        }
        catch (UsageException e)
        {
            return e.Message;
        }
        catch (ArgumentException e)
        {
            return NoiseLab.Configuration.SpecArguments.Sentence(e) + ".";
        }
    }

    [Fact]
    public void Every_numeric_option_value_runs_or_is_refused_in_one_sentence_naming_the_option()
    {
        Gen.Select(Gen.Int[0, s_options.Length - 1].Select(i => s_options[i]), s_values).Sample((option, value) =>
        {
            string? message = Outcome(option, value);
            if (message is null)
                return true;
            return !message.Contains("System.", StringComparison.Ordinal) && !message.Contains('\n', StringComparison.Ordinal)
                && !message.Contains("(Parameter", StringComparison.Ordinal) && message.EndsWith('.')
                && (message.Contains(option, StringComparison.Ordinal) || option == "--momentum" && message.Contains("Momentum", StringComparison.Ordinal));
        }, iter: 600, threads: 1);
    }

    [Theory]
    [InlineData("--lr", "NaN")]
    [InlineData("--lr", "Infinity")]
    [InlineData("--lr", "inf")]
    [InlineData("--lr", "0")]
    [InlineData("--epochs", "0")]
    [InlineData("--epochs", "1e12")]
    [InlineData("--batch-size", "-1")]
    [InlineData("--threads", "10000")]
    [InlineData("--clip", "-Infinity")]
    [InlineData("--weight-decay", "NaN")]
    public void Boundary_values_are_refused_naming_the_option(string option, string value)
    {
        string? message = Outcome(option, value);

        Assert.NotNull(message);
        Assert.Contains(option, message, StringComparison.Ordinal);
        Assert.Contains("must be", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_few_values_end_to_end_exit_2_with_the_same_sentence()
    {
        foreach (var (option, value) in new[] { ("--epochs", "abc"), ("--lr", "NaN"), ("--batch-size", "0") })
        {
            var outcome = Support.CliProcess.Run("train", option, value, "--threads", "1");
            Assert.Equal(2, outcome.ExitCode);
            Assert.Equal("noiselab: " + Outcome(option, value), outcome.StandardError.Trim().Split('\n')[0]);
        }
    }
}
