namespace NoiseLab.Data;

/// <summary>The data sets that <c>noiselab</c> knows by name.</summary>
public static class DataSetCatalog
{
    private static readonly Dictionary<string, MnistFamily> s_imageSets = new(StringComparer.OrdinalIgnoreCase)
    {
        [MnistFamily.FashionMnist.Name] = MnistFamily.FashionMnist,
        [MnistFamily.Mnist.Name] = MnistFamily.Mnist,
    };

    /// <summary>
    /// The names accepted by <see cref="Load"/>. Also: <c>csv:PATH:column=NAME[,window=30,horizon=1,val=0.15,test=0.15]</c>,
    /// <c>imdb:FOLDER[:max_len=200,vocab=20000]</c>, <c>tsv:TRAIN:test=TEST,labels=A+B</c>, <c>conll:FOLDER[:max_len=64]</c>,
    /// <c>synthetic:majority|adding[:length=20,train=2000]</c>, <c>synthetic:sentiment[:length=64,train=2000,vocab=1000]</c>.
    /// </summary>
    public static IReadOnlyList<string> Names => [.. s_imageSets.Keys, Mnist10k.Name, Cifar10.Name, SeattleTemperature];

    /// <summary>Seattle's daily minimum temperature (Debian's python3-vega-datasets), a 30-day window forecasting the next day.</summary>
    public const string SeattleTemperature = "seattle-temp";

    /// <summary>The Debian package that installs <see cref="TimeSeriesCsv.SeattleWeather"/>.</summary>
    public const string SeattleTemperaturePackage = "python3-vega-datasets";

    /// <summary>
    /// The validation size a run of <paramref name="name"/> uses when it names none: <see cref="Mnist10k.DefaultValidationSize"/>
    /// for MNIST-10k, whose training file is small, else <see cref="ValidationSplit.DefaultSize"/>.
    /// </summary>
    public static int DefaultValidationSize(string name) =>
        name == Mnist10k.Name ? Mnist10k.DefaultValidationSize : ValidationSplit.DefaultSize;

    /// <summary>Loads data set <paramref name="name"/>; with <see cref="DataOptions.Fold"/>, its validation split is that fold of the training split.</summary>
    /// <exception cref="DataSetException">The name is unknown, or the data is missing or malformed.</exception>
    /// <exception cref="ArgumentException">The fold is malformed, or the training split has fewer samples than folds.</exception>
    public static DataSplits Load(string name, DataOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        DataSplits splits = LoadSplits(name, options, log);
        if (options.Fold is not { } fold)
            return splits;
        try
        {
            return splits.WithFold(fold);
        }
        catch
        {
            splits.Dispose();
            throw;
        }
    }

    private static DataSplits LoadSplits(string name, DataOptions options, Action<string>? log)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Equals(Cifar10.Name, StringComparison.OrdinalIgnoreCase))
            return Cifar10.Load(options, log);
        if (name.Equals(Mnist10k.Name, StringComparison.OrdinalIgnoreCase))
            return Mnist10k.Load(options, log);
        if (name.Equals(SeattleTemperature, StringComparison.OrdinalIgnoreCase))
            return LoadSeattle(TimeSeriesCsv.SeattleWeather, options);
        if (name.StartsWith("csv:", StringComparison.OrdinalIgnoreCase))
            return LoadCsv(name, options);
        if (name.StartsWith("imdb:", StringComparison.OrdinalIgnoreCase))
            return LoadImdb(name, options);
        if (name.StartsWith("conll:", StringComparison.OrdinalIgnoreCase))
            return LoadConll(name, options);
        if (name.StartsWith("synthetic:", StringComparison.OrdinalIgnoreCase))
            return LoadSynthetic(name, options);
        if (name.StartsWith("tsv:", StringComparison.OrdinalIgnoreCase))
            return LoadTsv(name, options);
        if (!s_imageSets.TryGetValue(name, out MnistFamily? family))
            throw new DataSetException($"Unknown data set '{name}'; choose one of: {string.Join(", ", Names)}.");
        return MnistFamilyLoader.Load(family, options, log);
    }

    // Seattle's series comes from a Debian package, so its absence is told as the package to install.
    internal static DataSplits LoadSeattle(string path, DataOptions options)
    {
        if (!File.Exists(path))
            throw new DataSetException($"Seattle's weather series '{path}' (data set {SeattleTemperature}) was not found; install it with 'sudo apt-get install {SeattleTemperaturePackage}' (or run ./scripts/setup.sh in a NoiseLab checkout).");
        return LoadCsv($"csv:{path}:column=temp_min", options);
    }

    // KIND:PATH[:key=value,...] → the path and its options; the path may not contain ':'. With a form,
    // the options part is required and its absence is an error that shows the form.
    private static (string Path, Configuration.SpecArguments Arguments) Source(string text, string kind, string? form)
    {
        int start = kind.Length + 1;
        int colon = text.IndexOf(':', start);
        if (colon < 0 && form is not null)
            throw new DataSetException($"'{text}' needs the form {form}.");
        string path = colon < 0 ? text[start..] : text[start..colon];
        return (path, Configuration.SpecArguments.Parse(colon < 0 ? "" : text[(colon + 1)..], $"--data {kind}"));
    }

    // tsv:TRAIN_PATH:test=TEST_PATH,labels=neg+pos[,max_len=200,vocab=20000]; paths may not contain ':' or ','.
    private static DataSplits LoadTsv(string text, DataOptions options)
    {
        var (trainPath, arguments) = Source(text, "tsv", "tsv:TRAIN_PATH:test=TEST_PATH,labels=A+B[,max_len=200,vocab=20000]");
        if (!arguments.Has("test") || !arguments.Has("labels"))
            throw new DataSetException($"'{text}' needs test=TEST_PATH and labels=A+B (the label names, in class order).");
        string testPath = arguments.Text("test", "");
        string[] labels = arguments.Text("labels", "").Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int maxLength = arguments.Int("max_len", 200), vocabulary = arguments.Int("vocab", 20_000);
        arguments.RejectUnused();
        if (labels.Length < 2)
            throw new DataSetException($"'{text}' names {labels.Length} label(s); a classifier needs at least two (labels=neg+pos).");
        return TextClassification.Load(Path.GetFileNameWithoutExtension(trainPath), TextClassification.ReadTsv(trainPath, labels),
            TextClassification.ReadTsv(testPath, labels), labels.Length, options, maxLength, vocabulary);
    }

    // synthetic:TASK[:length=20,train=2000]; synthetic:sentiment[:length=64,train=2000,vocab=1000]
    private static DataSplits LoadSynthetic(string text, DataOptions options)
    {
        string[] parts = text.Split(':', 3);
        var arguments = Configuration.SpecArguments.Parse(parts.Length == 3 ? parts[2] : "", "--data synthetic");
        bool sentiment = parts[1].Equals("sentiment", StringComparison.OrdinalIgnoreCase);
        int length = arguments.Int("length", sentiment ? SyntheticTasks.SentimentDefaultLength : 20), train = arguments.Int("train", 2000);
        int vocabulary = sentiment ? arguments.Int("vocab", SyntheticTasks.SentimentDefaultVocabulary) : 0;
        arguments.RejectUnused();
        train = options.LimitTrain is int limit ? Math.Min(limit, train) : train;
        return sentiment
            ? SyntheticTasks.Sentiment(length, vocabulary, train, seed: options.Validation.Seed)
            : SyntheticTasks.Create(parts[1], length, train, seed: options.Validation.Seed);
    }

    // conll:FOLDER[:max_len=64]; FOLDER may not contain ':'.
    private static DataSplits LoadConll(string text, DataOptions options)
    {
        var (folder, arguments) = Source(text, "conll", form: null);
        int maxLength = arguments.Int("max_len", 64);
        arguments.RejectUnused();
        return ConllData.Load(folder, options, maxLength);
    }

    // imdb:FOLDER[:max_len=200,vocab=20000]; FOLDER may not contain ':'.
    private static DataSplits LoadImdb(string text, DataOptions options)
    {
        var (root, arguments) = Source(text, "imdb", form: null);
        int maxLength = arguments.Int("max_len", 200), vocabulary = arguments.Int("vocab", 20_000);
        arguments.RejectUnused();
        if (!Directory.Exists(root))
            throw new DataSetException($"The IMDB folder '{root}' does not exist; pass the folder that holds train/ and test/ (aclImdb).");
        var (train, test) = TextClassification.ReadImdbFolder(root);
        return TextClassification.Load("imdb", train, test, classes: 2, options, maxLength, vocabulary);
    }

    // csv:PATH:column=NAME[,window=30,horizon=1,val=0.15,test=0.15]; PATH may not contain ':'.
    private static DataSplits LoadCsv(string text, DataOptions options)
    {
        var (path, arguments) = Source(text, "csv", "csv:PATH:column=NAME[,window=30,horizon=1,val=0.15,test=0.15]");
        if (!arguments.Has("column"))
            throw new DataSetException($"'{text}' names no column; add column=NAME (e.g. csv:{path}:column=temp_min).");
        string column = arguments.Text("column", "");
        int window = arguments.Int("window", 30), horizon = arguments.Int("horizon", 1);
        double validation = arguments.Double("val", 0.15), test = arguments.Double("test", 0.15);
        arguments.RejectUnused();
        double[] series = TimeSeriesCsv.ReadColumn(path, column);
        TimeSeriesData data = TimeSeriesCsv.Window(series, $"{Path.GetFileName(path)}:{column}", window, horizon, validation, test);
        return DataSplits.ForRegression(data.Name, options.ApplyLimit(data.Train), data.Validation, data.Test, outputs: 1, targetScale: data.Std);
    }
}
