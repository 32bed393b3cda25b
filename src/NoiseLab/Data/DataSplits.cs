namespace NoiseLab.Data;

/// <summary>
/// A classification data set split three ways. Validation is carved from the training file
/// and guides choices during training; the test set is kept for the final figure only.
/// </summary>
public sealed class DataSplits : IDisposable
{
    /// <summary>Groups the three splits of a data set called <paramref name="name"/> with <paramref name="classCount"/> classes.</summary>
    public DataSplits(string name, InMemoryDataset train, InMemoryDataset validation, InMemoryDataset test, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        Name = name;
        Train = train;
        Validation = validation;
        Test = test;
        ClassCount = classCount;
    }

    /// <summary>The data set's name, e.g. "fashion-mnist".</summary>
    public string Name { get; }

    /// <summary>Samples the optimizer sees.</summary>
    public InMemoryDataset Train { get; }

    /// <summary>Samples held out from training, evaluated every epoch.</summary>
    public InMemoryDataset Validation { get; }

    /// <summary>The official test samples, evaluated once at the end.</summary>
    public InMemoryDataset Test { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The shape of one input sample.</summary>
    public long[] SampleShape => Train.SampleShape;

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
