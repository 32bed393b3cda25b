using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Build;

/// <summary>scripts/reproduce.sh refuses what it cannot run before it installs or trains anything, and names each study's committed spec.</summary>
public sealed class ReproduceScriptTests
{
    private static readonly string s_script = Checkout.File("scripts", "reproduce.sh");

    [Theory]
    [InlineData(new string[0], "reproduce: name a study: seed002, seed002-gap, seed002-gap-more, seed003 or seed004 (e.g. scripts/reproduce.sh seed004).")]
    [InlineData(new[] { "seed005" }, "reproduce: name a study: seed002, seed002-gap, seed002-gap-more, seed003 or seed004 (e.g. scripts/reproduce.sh seed004).")]
    [InlineData(new[] { "seed004", "--jobs", "0" }, "reproduce: --jobs takes a positive number, e.g. --jobs 2.")]
    [InlineData(new[] { "seed004", "--fast" }, "reproduce: unknown argument '--fast'; the form is scripts/reproduce.sh STUDY [--jobs N] [--retry-failed].")]
    public void A_wrong_call_exits_2_with_one_sentence(string[] arguments, string expected)
    {
        var outcome = CliProcess.Start("bash", [s_script, .. arguments], Checkout.Root, TimeSpan.FromMinutes(1));

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal(expected, outcome.StandardError.Trim());
        Assert.Equal("", outcome.StandardOutput);
    }

    [Fact]
    public void Every_study_names_a_committed_spec()
    {
        string text = File.ReadAllText(s_script);
        foreach (System.Text.RegularExpressions.Match spec in System.Text.RegularExpressions.Regex.Matches(text, @"spec=(experiments/[^ ;]+\.yaml)"))
            Assert.True(File.Exists(Checkout.File(spec.Groups[1].Value)), $"{spec.Groups[1].Value} does not exist");
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Matches(text, @"spec=experiments/").Count);
    }
}
