namespace NoiseLab.Metrics;

/// <summary>
/// Entity-level precision, recall and F1 for IOB tagging, as seqeval and the CoNLL-2003 evaluation
/// count them: an entity is a maximal span that starts with B-X (or with I-X after O or another type,
/// the IOB1 convention) and continues with I-X; a predicted entity counts only if its type, start and
/// end all match a true one. Token accuracy alone hides that a tagger finds few whole entities.
/// </summary>
public static class EntityF1
{
    /// <summary>Precision, recall and F1 of <paramref name="predicted"/> against <paramref name="expected"/>, over all sentences.</summary>
    public static (double Precision, double Recall, double F1) Score(IReadOnlyList<IReadOnlyList<string>> expected, IReadOnlyList<IReadOnlyList<string>> predicted)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(predicted);
        if (expected.Count != predicted.Count)
            throw new ArgumentException($"{expected.Count} expected sentences but {predicted.Count} predicted.", nameof(predicted));
        long truePositives = 0, expectedCount = 0, predictedCount = 0;
        for (int s = 0; s < expected.Count; s++)
        {
            if (expected[s].Count != predicted[s].Count)
                throw new ArgumentException($"Sentence {s} has {expected[s].Count} expected tags but {predicted[s].Count} predicted.", nameof(predicted));
            var gold = Spans(expected[s]);
            var guess = Spans(predicted[s]);
            expectedCount += gold.Count;
            predictedCount += guess.Count;
            truePositives += guess.Count(gold.Contains);
        }
        double precision = predictedCount == 0 ? 0 : (double)truePositives / predictedCount;
        double recall = expectedCount == 0 ? 0 : (double)truePositives / expectedCount;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return (precision, recall, f1);
    }

    /// <summary>The entities of one tag sequence as (type, start, end exclusive).</summary>
    public static HashSet<(string Type, int Start, int End)> Spans(IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var spans = new HashSet<(string, int, int)>();
        string? type = null;
        int start = 0;
        for (int i = 0; i <= tags.Count; i++)
        {
            string tag = i < tags.Count ? tags[i] : "O";
            string prefix = tag.Length >= 2 && tag[1] == '-' ? tag[..1] : tag;
            string? tagType = tag.Length > 2 && tag[1] == '-' ? tag[2..] : null;
            bool continues = type is not null && prefix == "I" && tagType == type;
            if (!continues && type is not null)
            {
                spans.Add((type, start, i));
                type = null;
            }
            if (!continues && (prefix == "B" || prefix == "I") && tagType is not null)
            {
                type = tagType;
                start = i;
            }
        }
        return spans;
    }
}
