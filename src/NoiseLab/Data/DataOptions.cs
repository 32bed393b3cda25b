namespace NoiseLab.Data;

/// <summary>How to find, split and trim a data set.</summary>
public sealed record DataOptions
{
    /// <summary>
    /// The environment variable naming a data folder, consulted when <see cref="Directory"/> is not set.
    /// </summary>
    public const string EnvironmentVariable = "NOISELAB_DATA";

    /// <summary>
    /// A folder that holds the data set's files, or a subfolder named after the data set.
    /// When set, only this folder is searched. Null: <see cref="EnvironmentVariable"/>, then the standard places.
    /// </summary>
    public string? Directory { get; init; }

    /// <summary>How the validation set is carved from the training file.</summary>
    public ValidationSplit Validation { get; init; } = new();

    /// <summary>Use only the first N samples of the training split (after validation is carved out); null for all.</summary>
    public int? LimitTrain { get; init; }

    /// <summary>
    /// For k-fold cross-validation: the training split (after <see cref="Validation"/> and
    /// <see cref="LimitTrain"/>) becomes the pool, this fold of it the validation split and the rest
    /// the training split; the validation split carved by <see cref="Validation"/> is then not used.
    /// Null (the default): the ordinary validation split.
    /// </summary>
    public CrossValidationFold? Fold { get; init; }

    /// <summary>Whether a data set that is found nowhere may be downloaded (with a checksum check).</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>
    /// The training split cut to its first <see cref="LimitTrain"/> samples; when it is cut, the
    /// original is disposed and a new data set returned, otherwise <paramref name="train"/> itself.
    /// </summary>
    public InMemoryDataset ApplyLimit(InMemoryDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (LimitTrain is not int limit || limit >= train.Count)
            return train;
        InMemoryDataset trimmed = train.Take(limit);
        train.Dispose();
        return trimmed;
    }
}
