using System.Globalization;

namespace NoiseLab.Checkpoints;

/// <summary>
/// One run's checkpoints: a file per epoch (epoch-000007.ckpt), each written durably and atomically
/// (<see cref="DurableFile"/>), of which the newest <see cref="Keep"/> are kept. Loading takes the newest
/// checkpoint that passes its checksum and falls back to the one before, with a warning, when it does not.
/// </summary>
public sealed class CheckpointFolder
{
    private const string Prefix = "epoch-";
    private const string Extension = ".ckpt";

    /// <summary>Checkpoints of the run identified by <paramref name="runKey"/> in <paramref name="path"/>.</summary>
    /// <param name="path">The run's own folder; created on the first save.</param>
    /// <param name="runKey">Identifies the run configuration; checkpoints of another configuration are refused.</param>
    /// <param name="keep">How many of the newest checkpoints to keep (at least 1; 2 leaves a fallback).</param>
    public CheckpointFolder(string path, string runKey, int keep = 2)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(runKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        Path = path;
        RunKey = runKey;
        Keep = keep;
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The run configuration's key, written into every checkpoint.</summary>
    public string RunKey { get; }

    /// <summary>How many checkpoints are kept.</summary>
    public int Keep { get; }

    /// <summary>Writes <paramref name="checkpoint"/> and removes checkpoints older than the newest <see cref="Keep"/>.</summary>
    /// <exception cref="CheckpointWriteException">The write failed (e.g. a full disk); the checkpoints written before are intact.</exception>
    public void Save(TrainingCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.RunKey != RunKey)
            throw new ArgumentException($"The checkpoint belongs to run {checkpoint.RunKey}, not to this folder's run {RunKey}.", nameof(checkpoint));
        string file = FileOf(checkpoint.Epoch);
        try
        {
            Directory.CreateDirectory(Path);
            DurableFile.Write(file, checkpoint.WriteTo);
            foreach (var (_, old) in Files().Skip(Keep))
                File.Delete(old);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointWriteException($"The checkpoint of epoch {checkpoint.Epoch} could not be written to '{file}': {e.Message} The checkpoints written before it are intact.", e);
        }
    }

    /// <summary>
    /// The newest checkpoint that reads back intact, or null when there is none. Damaged ones are
    /// skipped with a line to <paramref name="warn"/>.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">The folder holds checkpoints of another run configuration.</exception>
    public TrainingCheckpoint? LoadLatest(Action<string>? warn = null)
    {
        var files = Files();
        for (int i = 0; i < files.Count; i++)
        {
            string fallback = i + 1 < files.Count ? $"falling back to epoch {files[i + 1].Epoch}" : "starting the run from its beginning";
            if (Read(files[i], warn, fallback) is { } checkpoint)
                return checkpoint;
        }
        return null;
    }

    /// <summary>The checkpoint of epoch <paramref name="epoch"/>, or null when the folder holds none that reads back intact.</summary>
    /// <exception cref="CheckpointMismatchException">The folder holds checkpoints of another run configuration.</exception>
    public TrainingCheckpoint? Load(int epoch, Action<string>? warn = null) =>
        Files().Where(f => f.Epoch == epoch).Select(f => Read(f, warn, "it is not used")).FirstOrDefault();

    private TrainingCheckpoint? Read((int Epoch, string File) file, Action<string>? warn, string fallback)
    {
        TrainingCheckpoint checkpoint;
        try
        {
            using var stream = new FileStream(file.File, FileMode.Open, FileAccess.Read, FileShare.Read);
            checkpoint = TrainingCheckpoint.ReadFrom(stream, file.File);
        }
        catch (CheckpointCorruptException e)
        {
            warn?.Invoke($"warning: {e.Message} It is skipped, {fallback}.");
            return null;
        }
        if (checkpoint.RunKey != RunKey)
            throw new CheckpointMismatchException($"The checkpoints in '{Path}' belong to another run configuration ({checkpoint.RunKey}, this run is {RunKey}); delete that folder or choose another checkpoint folder.");
        if (checkpoint.Epoch != file.Epoch)
        {
            warn?.Invoke($"warning: '{file.File}' holds epoch {checkpoint.Epoch}, not the {file.Epoch} its name says; it is skipped.");
            return null;
        }
        return checkpoint;
    }

    /// <summary>Deletes the run's checkpoints (e.g. once its results are stored).</summary>
    public void Clear()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }

    private string FileOf(int epoch) => System.IO.Path.Combine(Path, Prefix + epoch.ToString("D6", CultureInfo.InvariantCulture) + Extension);

    // Newest first; partial files from an interrupted write are not checkpoints.
    private List<(int Epoch, string File)> Files()
    {
        if (!Directory.Exists(Path))
            return [];
        var files = new List<(int, string)>();
        foreach (string file in Directory.EnumerateFiles(Path, Prefix + "*" + Extension))
        {
            string name = System.IO.Path.GetFileNameWithoutExtension(file)[Prefix.Length..];
            if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int epoch))
                files.Add((epoch, file));
        }
        return [.. files.OrderByDescending(f => f.Item1)];
    }
}
