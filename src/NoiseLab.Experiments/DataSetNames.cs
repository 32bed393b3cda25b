using System.Globalization;
using NoiseLab.Configuration;
using NoiseLab.Data;
using NoiseLab.Models;

namespace NoiseLab.Experiments;

/// <summary>
/// Checks a data set name before anything is read: that it is one the catalog knows, that its options
/// are understood and its files exist, and that what it would generate fits in memory. Also gives the
/// shape its samples will have, so that a model can be checked against it without loading the data.
/// </summary>
public static class DataSetNames
{
    /// <summary>The longest sequence a synthetic task may generate.</summary>
    public const int MaxSyntheticLength = 100_000;

    /// <summary>The most training sequences a synthetic task may generate.</summary>
    public const int MaxSyntheticTrain = 1_000_000;

    /// <summary>The smallest vocabulary <c>synthetic:sentiment</c> may draw its words from.</summary>
    public const int MinSyntheticVocabulary = 10;

    /// <summary>The largest vocabulary <c>synthetic:sentiment</c> may draw its words from.</summary>
    public const int MaxSyntheticVocabulary = 100_000;

    /// <summary>The most values (sequences × length × features) a synthetic task may generate: 200 MB of floats.</summary>
    public const long MaxSyntheticValues = 50_000_000;

    private static readonly string[] s_prefixed = ["csv", "imdb", "tsv", "conll", "synthetic"];

    /// <summary>Throws unless <paramref name="name"/> can be loaded as far as can be told without reading it.</summary>
    /// <param name="name">A catalog name or a KIND:... form.</param>
    /// <param name="limitTrain">The run's --limit-train, which bounds what a synthetic task generates.</param>
    /// <exception cref="ArgumentException">The message names the value, the rule and the fix.</exception>
    public static void Check(string name, int? limitTrain = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (DataSetCatalog.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
            return;
        string kind = name.Split(':', 2)[0].ToLowerInvariant();
        if (!name.Contains(':', StringComparison.Ordinal) || !s_prefixed.Contains(kind))
            throw new ArgumentException($"Unknown data set '{Shorten(name)}'; choose one of: {string.Join(", ", DataSetCatalog.Names)}, csv:PATH:column=NAME, imdb:FOLDER, tsv:TRAIN:test=TEST,labels=A+B, conll:FOLDER or synthetic:majority|adding|sentiment[:length=N].");
        string rest = name[(kind.Length + 1)..];
        string path = rest.Split(':', 2)[0];
        switch (kind)
        {
            case "synthetic":
                CheckSynthetic(name, limitTrain);
                break;
            case "csv" or "tsv" when !File.Exists(path):
                throw new ArgumentException($"The data file '{Shorten(path)}' of '{Shorten(name)}' does not exist; give the path of an existing file.");
            case "csv" when !rest.Contains("column=", StringComparison.Ordinal):
                throw new ArgumentException($"'{Shorten(name)}' names no column; add column=NAME (e.g. csv:{Shorten(path)}:column=temp_min).");
            case "imdb" or "conll" when !Directory.Exists(path):
                throw new ArgumentException($"The {kind} folder '{Shorten(path)}' of '{Shorten(name)}' does not exist; give an existing folder.");
        }
    }

    /// <summary>The shape a model built for <paramref name="name"/> will be given, or a stand-in of the same kind where only the files tell.</summary>
    public static ModelShape ShapeOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string lower = name.ToLowerInvariant();
        string[] parts = name.Split(':', 3);
        SpecArguments Options(int at) => SpecArguments.Parse(parts.Length > at ? parts[at] : "", $"--data {parts[0]}");
        return lower switch
        {
            "fashion-mnist" or "mnist" => new ModelShape([1, 28, 28], 10),
            "cifar10" => new ModelShape([3, 32, 32], 10),
            DataSetCatalog.SeattleTemperature => new ModelShape([30, 1], 1),
            _ when lower.StartsWith("csv:", StringComparison.Ordinal) => new ModelShape([Options(2).Int("window", 30), 1], 1),
            _ when lower.StartsWith("synthetic:adding", StringComparison.Ordinal) => new ModelShape([Options(2).Int("length", 20), 2], 1),
            _ when lower.StartsWith("synthetic:sentiment", StringComparison.Ordinal) => new ModelShape([Options(2).Int("length", SyntheticTasks.SentimentDefaultLength)], 2,
                VocabularySize: Options(2).Int("vocab", SyntheticTasks.SentimentDefaultVocabulary) + 2),
            _ when lower.StartsWith("synthetic:", StringComparison.Ordinal) => new ModelShape([Options(2).Int("length", 20) | 1], 2, VocabularySize: 4),
            _ when lower.StartsWith("conll:", StringComparison.Ordinal) => new ModelShape([Options(2).Int("max_len", 64)], 9, VocabularySize: 100),
            _ when lower.StartsWith("imdb:", StringComparison.Ordinal) => new ModelShape([Options(2).Int("max_len", 200)], 2, VocabularySize: 100),
            _ when lower.StartsWith("tsv:", StringComparison.Ordinal) => new ModelShape([200], 2, VocabularySize: 100),
            _ => new ModelShape([1, 28, 28], 10),
        };
    }

    // synthetic:TASK[:length=20,train=2000] (sentiment: length=64 and vocab=1000 too): the task, its options, and what it would allocate.
    private static void CheckSynthetic(string name, int? limitTrain)
    {
        string[] parts = name.Split(':', 3);
        string task = parts[1].ToLowerInvariant();
        if (task is not ("majority" or "adding" or "sentiment"))
            throw new ArgumentException($"Unknown synthetic task '{Shorten(parts[1])}'; choose majority, adding or sentiment (synthetic:TASK[:length=N,train=N]).");
        var arguments = SpecArguments.Parse(parts.Length == 3 ? parts[2] : "", "--data synthetic");
        int length = arguments.Int("length", task == "sentiment" ? SyntheticTasks.SentimentDefaultLength : 20), train = arguments.Int("train", 2000);
        int? vocabulary = task == "sentiment" ? arguments.Int("vocab", SyntheticTasks.SentimentDefaultVocabulary) : null;
        arguments.RejectUnused();
        if (length < 2 || length > MaxSyntheticLength)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--data {Shorten(name)}: length must be from 2 to {MaxSyntheticLength:N0}; got {length:N0}."));
        if (train < 1 || train > MaxSyntheticTrain)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--data {Shorten(name)}: train must be from 1 to {MaxSyntheticTrain:N0}; got {train:N0}."));
        if (vocabulary is int words && (words < MinSyntheticVocabulary || words > MaxSyntheticVocabulary))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--data {Shorten(name)}: vocab must be from {MinSyntheticVocabulary:N0} to {MaxSyntheticVocabulary:N0}; got {words:N0}."));
        // Validation and test add 500 sequences each; adding has two features a step.
        long values = ((long)Math.Min(train, limitTrain ?? train) + 1000) * (length + 1) * (task == "adding" ? 2 : 1);
        if (values > MaxSyntheticValues)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--data {Shorten(name)} would generate {values:N0} values, more than the {MaxSyntheticValues:N0} allowed; use a smaller length or train (or --limit-train)."));
    }

    /// <summary>A value as a message may quote it: at most 80 characters.</summary>
    public static string Shorten(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= 80 ? text : string.Create(CultureInfo.InvariantCulture, $"{text[..60]}… ({text.Length:N0} characters)");
    }
}
