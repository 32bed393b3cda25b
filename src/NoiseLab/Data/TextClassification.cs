using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Data;

/// <summary>
/// Text classification data: the IMDB folder layout (<c>train/pos</c>, <c>train/neg</c>,
/// <c>test/pos</c>, <c>test/neg</c> of <c>.txt</c> files) or a tab-separated file of
/// <c>label&lt;TAB&gt;text</c> lines. Text is lower-cased and split into words; the vocabulary is built
/// from the training split only (id 0 = padding, 1 = unknown); each text becomes int64 ids, cut or
/// padded to a fixed length.
/// </summary>
public static partial class TextClassification
{
    /// <summary>The padding id.</summary>
    public const long Padding = 0;

    /// <summary>The id of words outside the vocabulary.</summary>
    public const long Unknown = 1;

    [GeneratedRegex(@"[a-z0-9']+")]
    private static partial Regex Word();

    /// <summary>Lower-cases <paramref name="text"/>, drops HTML line breaks and splits it into words.</summary>
    public static IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string cleaned = text.Replace("<br />", " ", StringComparison.OrdinalIgnoreCase).ToLowerInvariant();
        return [.. Word().Matches(cleaned).Select(m => m.Value.Trim('\''))
            .Where(w => w.Length > 0)];
    }

    /// <summary>Reads the IMDB layout under <paramref name="root"/>: (text, label) with neg = 0, pos = 1.</summary>
    public static (IReadOnlyList<(string Text, int Label)> Train, IReadOnlyList<(string Text, int Label)> Test) ReadImdbFolder(string root)
    {
        (string Text, int Label)[] Read(string split)
        {
            var items = new List<(string, int)>();
            foreach (var (name, label) in new[] { ("neg", 0), ("pos", 1) })
            {
                string folder = Path.Combine(root, split, name);
                if (!Directory.Exists(folder))
                    throw new DataSetException($"The IMDB folder '{root}' has no {split}/{name}/; it needs train/pos, train/neg, test/pos and test/neg folders of .txt files.");
                items.AddRange(Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal).Select(f => (File.ReadAllText(f), label)));
            }
            if (items.Count == 0)
                throw new DataSetException($"The IMDB folder '{root}' has no .txt files under {split}/.");
            return [.. items];
        }
        return (Read("train"), Read("test"));
    }

    /// <summary>Reads <c>label&lt;TAB&gt;text</c> lines; labels are mapped to class indices in sorted order of <paramref name="labels"/>.</summary>
    public static IReadOnlyList<(string Text, int Label)> ReadTsv(string path, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!File.Exists(path))
            throw new DataSetException($"Text file '{path}' does not exist.");
        var items = new List<(string, int)>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (line.Trim().Length == 0)
                continue;
            int tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0)
                throw new DataSetException($"Text file '{path}' line {number} has no tab; each line needs LABEL<TAB>TEXT.");
            int label = labels.ToList().IndexOf(line[..tab].Trim());
            if (label < 0)
                throw new DataSetException($"Text file '{path}' line {number}: label '{line[..tab].Trim()}' is not one of {string.Join(", ", labels)}.");
            items.Add((line[(tab + 1)..], label));
        }
        return items;
    }

    /// <summary>The words of <paramref name="texts"/> seen at least <paramref name="minCount"/> times, most frequent first, at most <paramref name="maxSize"/> − 2 of them.</summary>
    public static IReadOnlyDictionary<string, long> BuildVocabulary(IEnumerable<string> texts, int maxSize = 20_000, int minCount = 1)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string text in texts)
        {
            foreach (string word in Tokenize(text))
                counts[word] = counts.GetValueOrDefault(word) + 1;
        }
        return counts.Where(c => c.Value >= minCount)
            .OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(Math.Max(0, maxSize - 2))
            .Select((c, i) => (c.Key, Id: (long)i + 2))
            .ToDictionary(e => e.Key, e => e.Id, StringComparer.Ordinal);
    }

    /// <summary>Token ids [texts, maxLength] (cut or padded with <see cref="Padding"/>) and labels [texts].</summary>
    public static InMemoryDataset Encode(IReadOnlyList<(string Text, int Label)> items, IReadOnlyDictionary<string, long> vocabulary, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        var ids = new long[items.Count * maxLength];
        var labels = new long[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            IReadOnlyList<string> words = Tokenize(items[i].Text);
            for (int j = 0; j < Math.Min(words.Count, maxLength); j++)
                ids[i * maxLength + j] = vocabulary.TryGetValue(words[j], out long id) ? id : Unknown;
            labels[i] = items[i].Label;
        }
        return new InMemoryDataset(tensor(ids, [items.Count, maxLength]), tensor(labels, [items.Count]));
    }

    /// <summary>Builds train / validation / test splits; the vocabulary comes from the training part only.</summary>
    public static DataSplits Load(string name, IReadOnlyList<(string Text, int Label)> train, IReadOnlyList<(string Text, int Label)> test, int classes, DataOptions options, int maxLength = 200, int vocabularySize = 20_000)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        if (train.Count <= options.Validation.Size)
            throw new DataSetException(DataSetException.TooFewForValidation($"The training data of '{name}'", train.Count, "texts", options.Validation.Size));
        var (trainIndices, validationIndices) = options.Validation.Indices(train.Count);
        var trainItems = trainIndices.Select(i => train[(int)i]).ToList();
        if (options.LimitTrain is int limit && limit < trainItems.Count)
            trainItems = trainItems.Take(limit).ToList();
        var vocabulary = BuildVocabulary(trainItems.Select(t => t.Text), vocabularySize);
        return new DataSplits(name, Encode(trainItems, vocabulary, maxLength),
            Encode([.. validationIndices.Select(i => train[(int)i])], vocabulary, maxLength), Encode(test, vocabulary, maxLength), classes)
        {
            VocabularySize = vocabulary.Count + 2,
        };
    }
}
