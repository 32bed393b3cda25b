namespace NoiseLab.Cli.Reports;

/// <summary>
/// Writes a file to "PATH.part" and then moves it over PATH, so that a failure (a full disk, an
/// interrupted report) never leaves half a file where a reader expects a whole one.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> in UTF-8.</summary>
    public static void WriteAllText(string path, string text) => Replace(path, part => File.WriteAllText(part, text));

    /// <summary>Replaces <paramref name="path"/> with <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Replace(path, part => File.WriteAllBytes(part, bytes));

    private static void Replace(string path, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        string part = path + ".part";
        write(part);
        File.Move(part, path, overwrite: true);
    }
}
