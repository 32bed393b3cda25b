using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Data;

/// <summary>
/// A CoNLL-2003 folder as tagging splits: token ids [N, length] (0 = padding, 1 = unknown; the
/// vocabulary from the training file only) and tag ids [N, length] with padding marked
/// <see cref="TaggingObjective.Ignore"/>. The train / validation / test files are train.txt / valid.txt
/// (or dev.txt) / test.txt, or the original eng.train / eng.testa / eng.testb.
/// </summary>
public static class ConllData
{
    // A split without a sentence would leave an empty tensor (and no longest sentence to size the others).
    private static IReadOnlyList<TaggedSentence> ReadSentences(string path)
    {
        IReadOnlyList<TaggedSentence> sentences = ConllReader.Read(path);
        return sentences.Count > 0 ? sentences
            : throw new DataSetException($"The CoNLL file '{path}' holds no sentence; it needs lines of a token and its tag, with a blank line after each sentence.");
    }

    /// <summary>Loads the folder <paramref name="folder"/>; sentences longer than <paramref name="maxLength"/> are cut.</summary>
    public static DataSplits Load(string folder, DataOptions options, int maxLength = 64)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        if (!Directory.Exists(folder))
            throw new DataSetException($"The CoNLL folder '{folder}' does not exist; pass the folder that holds train.txt, valid.txt and test.txt (or eng.train, eng.testa, eng.testb).");
        string Find(params string[] names) =>
            names.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists)
            ?? throw new DataSetException($"The CoNLL folder '{folder}' has none of {string.Join(", ", names)}.");
        var train = ReadSentences(Find("train.txt", "eng.train"));
        var validation = ReadSentences(Find("valid.txt", "dev.txt", "eng.testa"));
        var test = ReadSentences(Find("test.txt", "eng.testb"));
        if (options.LimitTrain is int limit && limit < train.Count)
            train = [.. train.Take(limit)];

        string[] tags = [.. train.SelectMany(s => s.Tags).Distinct().Order(StringComparer.Ordinal)];
        var tagIds = tags.Select((t, i) => (t, i)).ToDictionary(e => e.t, e => (long)e.i, StringComparer.Ordinal);
        var vocabulary = train.SelectMany(s => s.Tokens).Distinct(StringComparer.Ordinal)
            .Select((w, i) => (w, Id: (long)i + 2)).ToDictionary(e => e.w, e => e.Id, StringComparer.Ordinal);
        int length = Math.Min(maxLength, train.Concat(validation).Concat(test).Max(s => s.Tokens.Count));

        InMemoryDataset Encode(IReadOnlyList<TaggedSentence> sentences, string split)
        {
            var ids = new long[sentences.Count * length];
            var targets = Enumerable.Repeat(TaggingObjective.Ignore, sentences.Count * length).ToArray();
            for (int s = 0; s < sentences.Count; s++)
            {
                for (int i = 0; i < Math.Min(length, sentences[s].Tokens.Count); i++)
                {
                    ids[s * length + i] = vocabulary.TryGetValue(sentences[s].Tokens[i], out long id) ? id : 1;
                    targets[s * length + i] = tagIds.TryGetValue(sentences[s].Tags[i], out long tag) ? tag
                        : throw new DataSetException($"The CoNLL {split} file uses tag '{sentences[s].Tags[i]}', which the training file never does.");
                }
            }
            return new InMemoryDataset(tensor(ids, [sentences.Count, length]), tensor(targets, [sentences.Count, length]));
        }

        return new DataSplits("conll", Encode(train, "train"), Encode(validation, "validation"), Encode(test, "test"), Math.Max(2, tags.Length))
        {
            VocabularySize = vocabulary.Count + 2,
            TagNames = tags,
        };
    }
}
