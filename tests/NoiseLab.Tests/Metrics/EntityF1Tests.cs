using NoiseLab.Metrics;

namespace NoiseLab.Tests.Metrics;

public sealed class EntityF1Tests
{
    [Fact]
    public void Spans_follow_IOB_with_types_and_boundaries()
    {
        string[] tags = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG", "I-ORG", "I-MISC"];

        var spans = EntityF1.Spans(tags);

        Assert.Equal(
            new HashSet<(string, int, int)> { ("PER", 0, 2), ("LOC", 3, 4), ("LOC", 4, 5), ("ORG", 5, 7), ("MISC", 7, 8) },
            spans);
    }

    [Fact]
    public void Only_exact_entities_count()
    {
        string[][] gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O"]];
        string[][] guess = [["B-PER", "O", "O", "B-LOC"], ["B-ORG", "O"]];

        var (precision, recall, f1) = EntityF1.Score(gold, guess);

        // Predicted: PER[0,1) wrong boundary, LOC right, ORG right → 2 of 3; gold has 3 → recall 2/3.
        Assert.Equal(2.0 / 3, precision, 12);
        Assert.Equal(2.0 / 3, recall, 12);
        Assert.Equal(2.0 / 3, f1, 12);
    }

    [Fact]
    public void A_tagger_that_predicts_only_O_has_high_token_accuracy_but_zero_F1()
    {
        string[][] gold = [["O", "O", "O", "B-PER", "O", "O", "O", "O", "O", "O"]];
        string[][] guess = [["O", "O", "O", "O", "O", "O", "O", "O", "O", "O"]];

        Assert.Equal((0.0, 0.0, 0.0), EntityF1.Score(gold, guess));
    }

    [Fact]
    public void Mismatched_lengths_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => EntityF1.Score([["O", "O"]], [["O"]]));

        Assert.StartsWith("Sentence 0 has 2 expected tags but 1 predicted.", error.Message, StringComparison.Ordinal);
    }
}
