namespace NoiseLab.Data;

/// <summary>
/// A classification data set split three ways. Validation is carved from the training file
/// and guides choices during training; the test set is kept for the final figure only.
/// </summary>
public sealed class DataSplits : IDisposable
{
    /// <summary>Groups the three splits of a data set called <paramref name="name"/> with <paramref name="classCount"/> classes.</summary>
    public DataSplits(string name, InMemoryDataset train, InMemoryDataset validation, InMemoryDataset test, int classCount)
        : this(name, train, validation, test, classCount, regression: false, targetScale: 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
    }

    private DataSplits(string name, InMemoryDataset train, InMemoryDataset validation, InMemoryDataset test, int outputs, bool regression, double targetScale)
    {
        Name = name;
        Train = train;
        Validation = validation;
        Test = test;
        ClassCount = outputs;
        IsRegression = regression;
        TargetScale = targetScale;
    }

    /// <summary>
    /// A regression data set (e.g. forecasting) with <paramref name="outputs"/> values per target, whose
    /// targets were divided by <paramref name="targetScale"/> when normalized.
    /// </summary>
    public static DataSplits ForRegression(string name, InMemoryDataset train, InMemoryDataset validation, InMemoryDataset test, int outputs, double targetScale)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        return new DataSplits(name, train, validation, test, outputs, regression: true, targetScale);
    }

    /// <summary>For token inputs: the number of token ids, padding (0) and unknown (1) included; 0 otherwise.</summary>
    public int VocabularySize { get; init; }

    /// <summary>For tagging data sets: the tag of each target index (IOB tags such as B-PER); null otherwise.</summary>
    public IReadOnlyList<string>? TagNames { get; init; }

    /// <summary>Whether the targets are values to predict rather than class indices.</summary>
    public bool IsRegression { get; }

    /// <summary>For regression: the factor that turns a normalized target back into its units (1 for classification).</summary>
    public double TargetScale { get; }

    /// <summary>Model outputs per sample: the classes, or the values predicted.</summary>
    public int Outputs => ClassCount;

    /// <summary>The data set's name, e.g. "fashion-mnist".</summary>
    public string Name { get; }

    /// <summary>Samples the optimizer sees.</summary>
    public InMemoryDataset Train { get; }

    /// <summary>Samples held out from training, evaluated every epoch.</summary>
    public InMemoryDataset Validation { get; }

    /// <summary>The official test samples, evaluated once at the end.</summary>
    public InMemoryDataset Test { get; }

    /// <summary>Number of classes (for regression: outputs per sample).</summary>
    public int ClassCount { get; }

    /// <summary>The shape of one input sample.</summary>
    public long[] SampleShape => Train.SampleShape;

    /// <summary>
    /// The same data set with the training split cut by <paramref name="fold"/> into training and
    /// validation parts (<see cref="DataOptions.Fold"/>). This object's training and validation splits are
    /// disposed and the result takes over its test split: dispose the result, not this object.
    /// </summary>
    public DataSplits WithFold(CrossValidationFold fold)
    {
        ArgumentNullException.ThrowIfNull(fold);
        var (train, validation) = fold.Apply(Train);
        Train.Dispose();
        Validation.Dispose();
        return new DataSplits(Name, train, validation, Test, ClassCount, IsRegression, TargetScale)
        {
            VocabularySize = VocabularySize,
            TagNames = TagNames,
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
