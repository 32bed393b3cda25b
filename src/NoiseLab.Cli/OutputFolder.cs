namespace NoiseLab.Cli;

/// <summary>
/// A folder a command writes into (<c>--out</c>, <c>--checkpoints</c>, <c>--tensorboard</c>), made ready before any
/// work starts: refused in one sentence when it is a file, lies under a file, or may not
/// be written (a read-only mount, a folder of another user), so that nothing fails after training.
/// </summary>
internal static class OutputFolder
{
    /// <summary>Checks that <paramref name="path"/> is, or can be made, a folder that files can be written in.</summary>
    /// <param name="option">The option that named it, for the message.</param>
    /// <param name="path">The folder.</param>
    /// <exception cref="UsageException">It cannot serve as a folder to write into; the message says why and what to do.</exception>
    public static void Prepare(string option, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
            throw new UsageException($"{option} '{path}' is a file, not a folder; pass a folder (it is created if missing).");
        if (FileAbove(path) is string file)
            throw new UsageException($"{option} '{path}' cannot be a folder: '{file}' above it is a file; pass a folder whose parents are folders.");
        // Nothing is created yet (a refused command leaves no folder): a file is written and removed in the folder,
        // or in the nearest folder above it, which is where a missing one would be made.
        string existing = Path.GetFullPath(path);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is string parent)
            existing = parent;
        string probe = Path.Combine(existing, $".noiselab-write-check-{Environment.ProcessId}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (UnauthorizedAccessException)
        {
            throw new UsageException($"{option} '{path}' may not be written by this user (or is on a read-only mount); pass a folder you can write to.");
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // A folder such as /proc or /sys, where no file can be made.
            throw new UsageException($"{option} '{path}' cannot be written: no file can be made in '{existing}'; pass a folder you can write to.");
        }
        catch (IOException e)
        {
            // The operating system's reason (e.g. "Read-only file system", "No space left on device"), not a .NET type.
            throw new UsageException($"{option} '{path}' cannot be written: {e.Message.Split(" : ", 2)[0].TrimEnd('.')}; pass a folder you can write to.");
        }
    }

    // The nearest existing path above a folder that is a file, which makes the folder impossible.
    private static string? FileAbove(string path)
    {
        for (string? parent = Path.GetDirectoryName(Path.GetFullPath(path)); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent))
                return null;
            if (File.Exists(parent))
                return parent;
        }
        return null;
    }
}
