using NoiseLab.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>
/// Sequence tagging over logits [batch, length, tags] with tag-index targets [batch, length], padding
/// marked <see cref="Ignore"/>: cross-entropy over real tokens, and token accuracy plus entity-level
/// precision, recall and F1 (IOB spans, <see cref="EntityF1"/>), accumulated over the whole split.
/// </summary>
public sealed class TaggingObjective(IReadOnlyList<string> tagNames) : Objective
{
    /// <summary>The target value of padded positions.</summary>
    public const long Ignore = -100;

    private readonly string[] _tags = [.. tagNames ?? throw new ArgumentNullException(nameof(tagNames))];

    /// <inheritdoc />
    public override Tensor Loss(Tensor output, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        using Tensor rows = output.reshape(-1, output.shape[^1]), labels = target.reshape(-1);
        return nn.functional.cross_entropy(rows, labels, ignore_index: Ignore);
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> MetricNames { get; } = ["token_accuracy", "entity_precision", "entity_recall", "entity_f1"];

    /// <inheritdoc />
    public override int SumCount => 5;   // correct tokens, tokens, true positive entities, predicted entities, true entities

    /// <inheritdoc />
    public override void AddMetricSums(Tensor output, Tensor target, double[] sums)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sums);
        using var scope = NewDisposeScope();
        long[] predicted = output.argmax(-1).data<long>().ToArray();
        long[] expected = target.data<long>().ToArray();
        int length = (int)target.shape[^1];
        for (int s = 0; s < expected.Length / length; s++)
        {
            var gold = new List<string>();
            var guess = new List<string>();
            for (int i = s * length; i < (s + 1) * length; i++)
            {
                if (expected[i] == Ignore)
                    continue;
                sums[0] += predicted[i] == expected[i] ? 1 : 0;
                sums[1] += 1;
                gold.Add(_tags[expected[i]]);
                guess.Add(_tags[predicted[i]]);
            }
            var goldSpans = EntityF1.Spans(gold);
            var guessSpans = EntityF1.Spans(guess);
            sums[2] += guessSpans.Count(goldSpans.Contains);
            sums[3] += guessSpans.Count;
            sums[4] += goldSpans.Count;
        }
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Finish(double[] sums, long samples)
    {
        ArgumentNullException.ThrowIfNull(sums);
        double precision = sums[3] == 0 ? 0 : sums[2] / sums[3];
        double recall = sums[4] == 0 ? 0 : sums[2] / sums[4];
        return new Dictionary<string, double>
        {
            ["token_accuracy"] = sums[1] == 0 ? 0 : sums[0] / sums[1],
            ["entity_precision"] = precision,
            ["entity_recall"] = recall,
            ["entity_f1"] = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall),
        };
    }
}
